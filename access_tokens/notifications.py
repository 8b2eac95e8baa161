"""What owners are told about access tokens."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from access_tokens.models import AccessToken
from accounts.roles import is_owner
from accounts.selectors import owner_list
from notifications.kinds import NotificationKind, register

# How long before a token expires its owners are told, once.
EXPIRY_WARNING_DAYS = 14


class _OwnersTokenKind(NotificationKind):
    def is_for(self, user) -> bool:
        return is_owner(user)

    def recipients(self, params: dict[str, Any]):
        return owner_list()

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        token = (
            AccessToken.objects.select_related("created_by")
            .filter(pk=params["token_id"], revoked_at__isnull=True)
            .first()
        )
        if token is None:
            return None  # revoked (or gone) before anyone was told: nothing to say
        return {
            "token": token,
            "scopes": token.get_scopes_display(),
            "created_by": token.created_by.get_full_name() or token.created_by.get_username(),
        }

    def url(self, context: dict[str, Any]) -> str:
        return reverse("access_tokens:list") + f"#token-{context['token'].pk}"


@register
class TokenCreated(_OwnersTokenKind):
    key = "access_tokens.created"
    label = "An access token is created"
    description = "Any owner creates a token for Entra ID provisioning or the API."
    template = "access_tokens/notifications/created.txt"

    def subject(self, context: dict[str, Any]) -> str:
        return f"New access token: {context['token'].name}"


@register
class TokenExpiring(_OwnersTokenKind):
    key = "access_tokens.expiring"
    label = "An access token expires soon"
    description = f"A token expires within {EXPIRY_WARNING_DAYS} days (told once per token)."
    template = "access_tokens/notifications/expiring.txt"

    def subject(self, context: dict[str, Any]) -> str:
        return f"Access token {context['token'].name} expires soon"
