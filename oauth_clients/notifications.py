"""What owners are told about OAuth clients."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.roles import is_owner
from accounts.selectors import owner_list
from notifications.kinds import NotificationKind, register
from oauth_clients.models import ClientCredential
from oauth_clients.selectors import EXPIRY_WARNING_DAYS


@register
class SecretExpiring(NotificationKind):
    key = "oauth_clients.secret_expiring"
    label = "An OAuth client secret expires soon"
    description = (
        f"A client secret expires within {EXPIRY_WARNING_DAYS} days (told once per secret)."
    )
    template = "oauth_clients/notifications/secret_expiring.txt"

    def is_for(self, user) -> bool:
        return is_owner(user)

    def recipients(self, params: dict[str, Any]):
        return owner_list()

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        secret = (
            ClientCredential.objects.select_related("client")
            .filter(
                pk=params["credential_id"],
                kind=ClientCredential.Kind.SECRET,
                revoked_at__isnull=True,
                client__revoked_at__isnull=True,
            )
            .first()
        )
        if secret is None:
            return None  # revoked (or replaced) before anyone was told: nothing to say
        return {"secret": secret, "client": secret.client}

    def subject(self, context: dict[str, Any]) -> str:
        return f"OAuth client {context['client'].name}: a secret expires soon"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("oauth_clients:detail", args=[context["client"].pk])
