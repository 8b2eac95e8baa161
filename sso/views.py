"""Single sign-on pages: the owners' settings page, SP metadata, sign-in start and the ACS."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexis.http import client_ip
from alexis.service_errors import add_service_errors
from oauth_clients.selectors import provisioning_client_list
from oauth_clients.views import token_endpoint_url
from sso import saml
from sso.decorators import owner_required
from sso.exceptions import SignInRefused
from sso.forms import SsoConfigurationForm
from sso.models import RefusalReason
from sso.selectors import certificate_summary, sign_in_refusal_list, sso_configuration_get
from sso.services import sign_in_refusal_record, sso_configuration_update, sso_sign_in
from sso.throttle import refusal_allowed

logger = logging.getLogger(__name__)

REQUEST_ID_SESSION_KEY = "sso_authn_request_id"

# What a refused person reads. Reasons about the response itself share one generic text.
REFUSAL_MESSAGES = {
    RefusalReason.UNKNOWN_EMPLOYEE: (
        "Your Microsoft account does not match any employee in Alexis. Ask your HR team "
        "to check that your employee record has your user name or work email."
    ),
    RefusalReason.AMBIGUOUS_EMPLOYEE: (
        "Your Microsoft account matches more than one employee in Alexis. Ask your HR team "
        "to correct the work email addresses."
    ),
    RefusalReason.INACTIVE_EMPLOYEE: (
        "Your employee record in Alexis is inactive, so you cannot sign in. Ask your HR team "
        "if you think this is a mistake."
    ),
    RefusalReason.DELETED_EMPLOYEE: (
        "Your employee record has been removed from Alexis, so you cannot sign in."
    ),
    RefusalReason.ACCOUNT_DISABLED: (
        "Your Alexis account is disabled. Ask an owner of Alexis to enable it."
    ),
    RefusalReason.ACCOUNT_CONFLICT: (
        "Your Alexis account could not be linked to your employee record. Ask an owner of "
        "Alexis for help."
    ),
    RefusalReason.ACCOUNT_NOT_LINKED: (
        "An Alexis account with your user name already exists but is not linked to your "
        "employee record. Ask an owner of Alexis to link it if it is yours."
    ),
    RefusalReason.OWNER_ACCOUNT: (
        "Owners of Alexis sign in with their user name and password, not with Microsoft."
    ),
    RefusalReason.NOT_ENABLED: "Sign-in with Microsoft is not turned on for Alexis.",
}
GENERIC_REFUSAL = (
    "Alexis could not accept this sign-in from Microsoft. Try signing in again; if it keeps "
    "failing, ask an owner of Alexis to check the single sign-on settings."
)


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """Return `candidate` if it is a local path on this site, else None."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    message = REFUSAL_MESSAGES.get(reason, GENERIC_REFUSAL)
    return render(request, "sso/refused.html", {"message": message}, status=403)


def _refuse(
    request: HttpRequest,
    reason: str,
    *,
    ip_address: str | None,
    identity: saml.SamlIdentity | None = None,
    employee=None,
    detail: str = "",
) -> HttpResponse:
    """Record (within the per-IP limit) and answer a refused sign-in."""
    if not refusal_allowed(ip_address):
        logger.warning("sso sign-in refused, not recorded: too many from ip=%s", ip_address)
        response = _refused(request, reason)
        response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        response["Retry-After"] = str(settings.SSO_REFUSAL_WINDOW)
        return response
    sign_in_refusal_record(
        reason=reason, identity=identity, employee=employee, detail=detail, ip_address=ip_address
    )
    return _refused(request, reason)


@require_GET
def sign_in_start(request: HttpRequest) -> HttpResponse:
    """Start SP-initiated sign-in: send the browser to Entra with an AuthnRequest."""
    configuration = sso_configuration_get()
    if not configuration.is_active:
        messages.error(request, REFUSAL_MESSAGES[RefusalReason.NOT_ENABLED])
        return redirect("accounts:sign-in")
    next_path = _safe_next(request, request.GET.get("next")) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    url, request_id = saml.authn_request_url(request, configuration, relay_state=next_path)
    request.session[REQUEST_ID_SESSION_KEY] = request_id
    return redirect(url)


@csrf_exempt  # Entra posts here from its own origin; the signed response is the proof.
@require_POST
def assertion_consumer(request: HttpRequest) -> HttpResponse:
    """Accept a SAML response (IdP- or SP-initiated), sign the employee in, or refuse."""
    ip_address = client_ip(request)
    configuration = sso_configuration_get()
    if not configuration.is_active:
        return _refuse(request, RefusalReason.NOT_ENABLED, ip_address=ip_address)
    # The session cookie rarely survives Entra's cross-site POST (SameSite=Lax); when it
    # does, the response must answer our request. IdP-initiated responses have no request.
    request_id = request.session.pop(REQUEST_ID_SESSION_KEY, None)
    try:
        identity = saml.response_identity(request, configuration, request_id=request_id)
    except saml.SamlResponseInvalid as exc:
        return _refuse(
            request, RefusalReason.INVALID_RESPONSE, ip_address=ip_address, detail=exc.reason
        )
    try:
        user = sso_sign_in(identity=identity)
    except SignInRefused as exc:
        return _refuse(
            request, exc.reason, ip_address=ip_address, identity=identity, employee=exc.employee
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    next_path = _safe_next(request, request.POST.get("RelayState"))
    return redirect(next_path or settings.LOGIN_REDIRECT_URL)


@require_GET
def service_provider_metadata(request: HttpRequest) -> HttpResponse:
    """Return the SP metadata XML; `?download=1` offers it as a file."""
    response = HttpResponse(
        saml.service_provider_metadata(request), content_type="application/samlmetadata+xml"
    )
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="alexis-sp-metadata.xml"'
    return response


@owner_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Show what to paste into Entra and take what Entra gives (owners only)."""
    configuration = sso_configuration_get()
    initial = {
        "enabled": configuration.enabled,
        "require_sso": configuration.require_sso,
        "idp_entity_id": configuration.idp_entity_id,
        "idp_login_url": configuration.idp_login_url,
        "idp_certificate": configuration.idp_certificate,
    }
    if request.method == "POST":
        form = SsoConfigurationForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sso_configuration_update(
                    enabled=data["enabled"],
                    require_sso=data["require_sso"],
                    idp_entity_id=data["idp_entity_id"],
                    idp_login_url=data["idp_login_url"],
                    idp_certificate=data["idp_certificate"],
                    updated_by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if form.metadata_imported:
                    messages.success(
                        request,
                        "Saved. The entity ID, login URL and certificate were filled in from "
                        "the Federation Metadata XML.",
                    )
                else:
                    messages.success(request, "Single sign-on settings saved.")
                return redirect("sso:settings")
    else:
        form = SsoConfigurationForm(initial=initial)
    context = {
        "form": form,
        "configuration": configuration,
        "urls": saml.service_provider_urls(request),
        "certificate": certificate_summary(configuration.idp_certificate),
        "refusals": sign_in_refusal_list(),
        "provisioning": {
            "tenant_url": request.build_absolute_uri("/scim/v2"),
            "token_url": token_endpoint_url(request),
            "clients": provisioning_client_list(),
        },
    }
    return render(request, "sso/settings.html", context)
