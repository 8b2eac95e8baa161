"""Bearer-token authentication for the SCIM endpoint (django-scim2's AUTH_CHECK_MIDDLEWARE)."""

from __future__ import annotations

import time

from django.conf import settings
from django.utils import timezone
from django_scim.middleware import SCIMAuthCheckMiddleware

from access_tokens.authentication import WWW_AUTHENTICATE, bearer_token, check_request
from access_tokens.crypto import token_digest
from access_tokens.models import AccessToken, Scope
from scim_api.errors import ScimError, error_response
from scim_api.outcome import outcome_complete, outcome_for

# Tokens recently accepted by this process: keyed digest -> (valid until, token). Entra sends
# bursts of requests with one token; re-checking it for each costs more than the SCIM work.
_accepted: dict[str, tuple[float, AccessToken]] = {}
MAX_REMEMBERED = 64


def _remembered(key: str) -> AccessToken | None:
    entry = _accepted.get(key)
    if entry is None:
        return None
    valid_until, token = entry
    if valid_until <= time.monotonic() or (
        token.expires_at is not None and token.expires_at <= timezone.now()
    ):
        _accepted.pop(key, None)
        return None
    return token


def _remember(key: str, token: AccessToken, seconds: float) -> None:
    if len(_accepted) >= MAX_REMEMBERED:
        _accepted.clear()
    _accepted[key] = (time.monotonic() + seconds, token)


def forget_accepted_tokens() -> None:
    """Drop every remembered token (tests, or a revocation that must apply at once)."""
    _accepted.clear()


class ScimBearerTokenCheck(SCIMAuthCheckMiddleware):
    """Admit requests whose bearer token carries the Provisioning (SCIM) scope.

    Every failure of the token itself (missing, malformed, unknown, revoked, expired) is the
    same 401; a valid token without the scope is a 403. A token that passed is remembered for
    SCIM_TOKEN_CACHE_SECONDS (only successes, never past its expiry), so a revocation takes
    effect within that many seconds. Request bodies are never logged.
    """

    def process_request(self, request):
        outcome = outcome_for(request)
        seconds = settings.SCIM_TOKEN_CACHE_SECONDS
        raw = bearer_token(request) if seconds > 0 else None
        key = token_digest(raw) if raw else None
        if key is not None and (token := _remembered(key)) is not None:
            outcome.token = token
            return None
        check = check_request(request, scope=Scope.SCIM)
        outcome.token = check.token
        if check.ok:
            if key is not None:
                _remember(key, check.token, seconds)
            return None
        if check.status == 403:
            error = ScimError(403, "This access token does not have the Provisioning scope.")
        else:
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
