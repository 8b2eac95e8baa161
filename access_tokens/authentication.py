"""The one entry point that checks a bearer token, shared by SCIM and the public API."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from django.http import HttpRequest

from access_tokens.models import AccessToken
from access_tokens.selectors import access_token_authenticate, access_token_refused
from access_tokens.services import access_token_mark_used
from alexis.http import client_ip

WWW_AUTHENTICATE = 'Bearer realm="alexis"'


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a request's bearer token for a scope.

    status is 200 when the token is valid and carries the scope, 401 when there is no
    usable token (missing, malformed, unknown, revoked, expired: all alike), and 403
    when the token is valid but lacks the scope.
    """

    status: int
    token: AccessToken | None = None
    scope: str = ""
    # The refused secret, so that the log can name a revoked token; never shown or compared.
    refused_secret: str | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK

    def refused_token(self) -> AccessToken | None:
        """Return the real token behind a 401 (revoked, expired or orphaned), for the log.

        One more query, asked only by a caller that records the refusal; the answer to the
        client is the same 401 whatever the reason.
        """
        return access_token_refused(self.refused_secret) if self.refused_secret else None

    @property
    def www_authenticate(self) -> str:
        """Return the WWW-Authenticate header value for a refusal (RFC 6750 §3)."""
        if self.status == HTTPStatus.FORBIDDEN:
            return f'{WWW_AUTHENTICATE}, error="insufficient_scope", scope="{self.scope}"'
        return WWW_AUTHENTICATE


def bearer_token(request: HttpRequest) -> str | None:
    """Return the raw bearer token from the Authorization header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def request_token(request: HttpRequest) -> AccessToken | None:
    """Return the active token the request's bearer header carries, or None."""
    raw = bearer_token(request)
    return access_token_authenticate(raw) if raw else None


def token_authorize(request: HttpRequest, *, token: AccessToken, scope: str) -> bool:
    """Return whether the token carries the scope, stamping its use when it does."""
    if not token.has_scope(scope):
        return False
    access_token_mark_used(token=token, ip_address=client_ip(request))
    return True


def check_request(request: HttpRequest, scope: str) -> TokenCheck:
    """Check the request's bearer token for a scope and stamp its use."""
    raw = bearer_token(request)
    token = access_token_authenticate(raw) if raw else None
    if token is None:
        return TokenCheck(status=HTTPStatus.UNAUTHORIZED, scope=scope, refused_secret=raw)
    if not token_authorize(request, token=token, scope=scope):
        return TokenCheck(status=HTTPStatus.FORBIDDEN, token=token, scope=scope)
    return TokenCheck(status=HTTPStatus.OK, token=token, scope=scope)
