"""Bearer-token authentication for the SCIM endpoint (django-scim2's AUTH_CHECK_MIDDLEWARE)."""

from __future__ import annotations

from django_scim.middleware import SCIMAuthCheckMiddleware

from access_tokens.authentication import WWW_AUTHENTICATE, check_request
from access_tokens.models import Scope
from access_tokens.throttle import token_failures
from alexis.http import client_ip
from scim_api.errors import ScimError, error_response
from scim_api.outcome import outcome_complete, outcome_for


class ScimBearerTokenCheck(SCIMAuthCheckMiddleware):
    """Admit requests whose bearer token carries the Provisioning API (SCIM) scope.

    Every failure of the token itself (missing, malformed, unknown, revoked, expired) is the
    same 401; a valid token without the scope is a 403 with an insufficient_scope challenge
    (RFC 6750 §3.1). The token is checked on every request
    (one indexed query), so a revocation applies to the very next one. Request bodies are
    never logged. Refused tokens are counted per client IP; past the limit the IP gets 429
    with Retry-After until the window ends. A valid token is never throttled: the token is
    checked before the counter.
    """

    def process_request(self, request):
        outcome = outcome_for(request)
        check = check_request(request, scope=Scope.SCIM)
        # A refused real token is named in the provisioning log (revoked token «name»).
        outcome.token = check.token
        if check.ok:
            return None
        if check.status == 403:
            error = ScimError(
                403,
                "This access token does not have the Provisioning scope.",
                headers={"WWW-Authenticate": check.www_authenticate},
            )
        elif wait := token_failures.retry_after(ip := client_ip(request)):
            error = ScimError(
                429,
                "Too many failed authentication attempts from this address; retry later.",
                headers={"Retry-After": str(wait)},
            )
        else:
            token_failures.record_failure(ip)
            # A real but unusable token is named in the log: "revoked token «name»".
            outcome.token = check.refused_token()
            error = ScimError(
                401,
                "A valid access token with the Provisioning scope is required.",
                headers={"WWW-Authenticate": WWW_AUTHENTICATE},
            )
        outcome.detail = error.detail
        return error_response(error)

    def process_response(self, request, response):
        outcome_complete(request, response)
        return response
