"""Settings > OAuth clients: create clients, add and revoke credentials. Owners only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from access_tokens.views import owner_required
from alexis.http import client_ip
from alexis.service_errors import add_service_errors
from oauth_clients.forms import FederatedCredentialForm, OAuthClientCreateForm, SecretAddForm
from oauth_clients.jwks import keys_url
from oauth_clients.models import OAuthClient
from oauth_clients.selectors import (
    client_status,
    credential_status,
    oauth_client_event_list,
    oauth_client_get,
    oauth_client_list,
    secrets_expiring,
)
from oauth_clients.services import (
    CreatedSecret,
    oauth_client_create,
    oauth_client_revoke,
    oauth_credential_revoke,
    oauth_federated_credential_add,
    oauth_secret_add,
)

EVENTS_SHOWN = 50


def token_endpoint_url(request: HttpRequest) -> str:
    """Return the absolute URL of POST /oauth2/token as clients must call it."""
    return request.build_absolute_uri(reverse("oauth2-token"))


def _annotated(client: OAuthClient) -> OAuthClient:
    client.status, client.status_reason = client_status(client)
    client.secrets = [c for c in client.credentials.all() if c.is_secret]
    client.federated = [c for c in client.credentials.all() if not c.is_secret]
    for credential in client.secrets + client.federated:
        credential.status = credential_status(credential)
        if not credential.is_secret:
            credential.keys_source = (
                "Uploaded keys"
                if credential.jwks
                else keys_url(credential.issuer, credential.jwks_url)
            )
    return client


def _client_or_404(pk: int) -> OAuthClient:
    client = oauth_client_get(pk=pk)
    if client is None:
        raise Http404("No such OAuth client.")
    return _annotated(client)


@owner_required
@require_http_methods(["GET", "HEAD"])
def client_list(request: HttpRequest) -> HttpResponse:
    """Show every client with its status and secrets, and the secrets about to expire."""
    context = {
        "clients": [_annotated(client) for client in oauth_client_list()],
        "expiring": list(secrets_expiring()),
        "token_url": token_endpoint_url(request),
    }
    return render(request, "oauth_clients/list.html", context)


def _detail_page(
    request: HttpRequest,
    client: OAuthClient,
    *,
    created: CreatedSecret | None = None,
    secret_form: SecretAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "client": client,
        "created": created,
        "secret_form": secret_form or SecretAddForm(),
        "events": oauth_client_event_list(client=client)[:EVENTS_SHOWN],
        "token_url": token_endpoint_url(request),
    }
    response = render(request, "oauth_clients/detail.html", context, status=status)
    if created is not None:
        # The secret lives only in this response: never cached, never redirected to.
        add_never_cache_headers(response)
    return response


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("created")
def client_create(request: HttpRequest) -> HttpResponse:
    """Create a client and show its id and first secret once."""
    form = OAuthClientCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = oauth_client_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                scopes=form.cleaned_data["scopes"],
                secret_expires_in_days=form.cleaned_data["secret_expires_in_days"],
                created_by=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _detail_page(request, _client_or_404(created.client.pk), created=created)
    return render(request, "oauth_clients/create.html", {"form": form})


@owner_required
@require_http_methods(["GET", "HEAD"])
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a client's id, secrets, federated credentials and audit trail."""
    return _detail_page(request, _client_or_404(pk))


@owner_required
@require_http_methods(["POST"])
@sensitive_variables("created")
def secret_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a client secret (for rotation) and show it once."""
    client = _client_or_404(pk)
    form = SecretAddForm(request.POST)
    if form.is_valid():
        try:
            created = oauth_secret_add(
                client=client,
                expires_in_days=form.cleaned_data["expires_in_days"],
                created_by=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _detail_page(request, _client_or_404(pk), created=created)
    return _detail_page(request, client, secret_form=form, status=400)


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def federated_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Trust an external issuer's signed tokens for this client (workload identity)."""
    client = _client_or_404(pk)
    form = FederatedCredentialForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            oauth_federated_credential_add(
                client=client,
                created_by=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The federated credential is added.")
            return redirect("oauth_clients:detail", pk=client.pk)
    return render(request, "oauth_clients/federated.html", {"form": form, "client": client})


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def credential_revoke(request: HttpRequest, pk: int, credential_pk: int) -> HttpResponse:
    """Ask for confirmation, then revoke one secret or federated credential."""
    client = _client_or_404(pk)
    credential = next((c for c in client.secrets + client.federated if c.pk == credential_pk), None)
    if credential is None:
        raise Http404("No such credential.")
    if request.method == "POST":
        oauth_credential_revoke(
            credential=credential, revoked_by=request.user, ip_address=client_ip(request)
        )
        messages.success(request, f"{credential} is revoked; tokens issued with it stop working.")
        return redirect("oauth_clients:detail", pk=client.pk)
    return render(
        request, "oauth_clients/revoke.html", {"client": client, "credential": credential}
    )


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation, then revoke the client, its credentials and its tokens."""
    client = _client_or_404(pk)
    if request.method == "POST":
        oauth_client_revoke(client=client, revoked_by=request.user, ip_address=client_ip(request))
        messages.success(request, f"The OAuth client “{client.name}” is revoked.")
        return redirect("oauth_clients:list")
    return render(request, "oauth_clients/revoke.html", {"client": client, "credential": None})
