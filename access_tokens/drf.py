"""Django REST framework authentication with access tokens, through the shared entry point."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from access_tokens.authentication import WWW_AUTHENTICATE, bearer_token, request_token
from access_tokens.models import AccessToken


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
            raise exceptions.AuthenticationFailed("The access token is invalid or expired.")
        return SimpleLazyObject(lambda: token.created_by), token

    def authenticate_header(self, request: Request) -> str:
        return WWW_AUTHENTICATE
