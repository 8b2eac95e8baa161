"""Scope checks for the public API: what a request may do is decided by its token's scopes."""

from __future__ import annotations

from http import HTTPStatus

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from access_tokens.authentication import TokenCheck, token_authorize
from access_tokens.models import AccessToken, Scope


def required_scope(method: str) -> str:
    """Return the scope a request method needs: api:read to read, api:write to change.

    The scopes are independent: a token with only api:write can create and update
    employees but cannot list or fetch them; give it api:read as well for both.
    """
    return Scope.API_READ if method in SAFE_METHODS else Scope.API_WRITE


class InsufficientScope(PermissionDenied):
    """403 for a valid token without the scope, with its challenge (RFC 6750 §3.1)."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"This access token lacks the {scope} scope.")
        # DRF's exception handler sends auth_header as WWW-Authenticate.
        self.auth_header = TokenCheck(status=HTTPStatus.FORBIDDEN, scope=scope).www_authenticate


class HasTokenScope(BasePermission):
    """Allow a request whose access token carries the scope for its method.

    Without a usable token DRF answers 401 with WWW-Authenticate; with a token that
    lacks the scope, 403 with WWW-Authenticate naming the scope (insufficient_scope).
    An allowed request stamps the token's last use.
    """

    def has_permission(self, request: Request, view) -> bool:
        token = request.auth
        if not isinstance(token, AccessToken):
            return False
        scope = required_scope(request.method)
        if not token_authorize(request._request, token=token, scope=scope):
            raise InsufficientScope(scope)
        return True
