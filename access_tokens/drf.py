"""Django REST framework authentication with access tokens, through the shared entry point."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from access_tokens.authentication import WWW_AUTHENTICATE, bearer_token, request_token
from access_tokens.models import AccessToken
from access_tokens.throttle import token_failures
from alexis.http import client_ip


class TooManyFailedAttempts(exceptions.Throttled):
    """429 with Retry-After for an address that presented too many refused tokens."""

    default_detail = "Too many failed authentication attempts from this address; retry later."

    def __init__(self, wait: int) -> None:
        super().__init__(wait=wait, detail=self.default_detail)


class AccessTokenAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Bearer <token>`; request.auth is the AccessToken.

    request.user is the token's creator (an active owner, or the token would be refused),
    read only if something asks for it; what a request may do is decided by the token's
    scopes alone: see
    public_api.permissions. A request without a bearer token is left unauthenticated
    (401 from the permission check); a bearer token that is malformed, unknown, revoked,
    expired or orphaned is refused alike.
    """

    def authenticate(self, request: Request) -> tuple[object, AccessToken] | None:
        if bearer_token(request._request) is None:
            return None
        token = request_token(request._request)
        if token is None:
            # As for SCIM: refused tokens are counted per client IP; past the limit the
            # address gets 429 with Retry-After. A valid token is checked first, never slowed.
            ip = client_ip(request._request)
            if wait := token_failures.retry_after(ip):
                raise TooManyFailedAttempts(wait)
            token_failures.record_failure(ip)
            raise exceptions.AuthenticationFailed("The access token is invalid or expired.")
        return SimpleLazyObject(lambda: token.created_by), token

    def authenticate_header(self, request: Request) -> str:
        return WWW_AUTHENTICATE
