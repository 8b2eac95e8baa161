"""What owners are told about webhooks: an endpoint that kept failing was turned off."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.roles import is_owner
from accounts.selectors import owner_list
from notifications.kinds import NotificationKind, register
from webhooks.models import WebhookEndpoint


@register
class EndpointDisabled(NotificationKind):
    key = "webhooks.endpoint_disabled"
    label = "A webhook endpoint is turned off"
    description = "Every delivery to an endpoint failed for a day, so Alexis stopped sending."
    template = "webhooks/notifications/disabled.txt"

    def is_for(self, user) -> bool:
        return is_owner(user)

    def recipients(self, params: dict[str, Any]):
        return owner_list()

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        endpoint = WebhookEndpoint.objects.filter(pk=params["endpoint_id"], enabled=False).first()
        if endpoint is None:
            return None  # turned back on (or deleted) before anyone was told
        return {"endpoint": endpoint}

    def subject(self, context: dict[str, Any]) -> str:
        return f"Webhook endpoint turned off: {context['endpoint'].url}"[:200]

    def url(self, context: dict[str, Any]) -> str:
        return reverse("webhooks:detail", kwargs={"public_id": context["endpoint"].public_id})
