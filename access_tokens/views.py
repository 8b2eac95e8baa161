"""Settings > Access tokens: list, create (the secret shown once) and revoke. Owners only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from access_tokens.forms import AccessTokenCreateForm
from access_tokens.models import AccessToken
from access_tokens.selectors import (
    access_token_event_list,
    access_token_get,
    access_token_list,
    token_status,
)
from access_tokens.services import CreatedToken, access_token_create, access_token_revoke
from accounts.roles import is_owner
from alexis.http import client_ip
from alexis.service_errors import add_service_errors


def owner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous visitors to sign in and refuse everyone but owners with 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_owner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _with_status(tokens) -> list[AccessToken]:
    rows = list(tokens)
    for token in rows:
        token.status, token.status_reason = token_status(token)
    return rows


# The page shows the most recent audit events; the Django admin keeps the whole trail.
EVENTS_SHOWN = 100


def _list_page(request: HttpRequest, *, created: CreatedToken | None = None) -> HttpResponse:
    events = list(access_token_event_list()[: EVENTS_SHOWN + 1])
    context = {
        "tokens": _with_status(access_token_list()),
        "events": events[:EVENTS_SHOWN],
        "more_events": len(events) > EVENTS_SHOWN,
        "events_shown": EVENTS_SHOWN,
        "created": created,
    }
    return render(request, "access_tokens/list.html", context)


@owner_required
@require_http_methods(["GET", "HEAD"])
def token_list(request: HttpRequest) -> HttpResponse:
    """Show every token with its status, and the audit trail."""
    return _list_page(request)


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("created")
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret once, in a response that is never cached."""
    form = AccessTokenCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = access_token_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                scopes=form.cleaned_data["scopes"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                created_by=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The secret lives only in this response: rendered, not redirected to, not kept
            # in the session or a message. The page's script replaces this history entry
            # with the list URL so that a reload or Back fetches the list without it.
            response = _list_page(request, created=created)
            add_never_cache_headers(response)
            return response
    return render(request, "access_tokens/create.html", {"form": form})


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation, then revoke the token for good."""
    token = access_token_get(pk=pk)
    if token is None:
        raise Http404("No such access token.")
    if request.method == "POST":
        if token.revoked_at is None:
            access_token_revoke(token=token, revoked_by=request.user, ip_address=client_ip(request))
            messages.success(request, f"The token “{token.name}” is revoked.")
        else:
            messages.info(request, f"The token “{token.name}” was already revoked.")
        return redirect("access_tokens:list")
    token.status, token.status_reason = token_status(token)
    return render(request, "access_tokens/revoke.html", {"token": token})
