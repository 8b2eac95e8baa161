"""Reads of webhook endpoints and their delivery log."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from webhooks.models import WebhookAttempt, WebhookEndpoint


def webhook_subscribed_event_types() -> set[str]:
    """Return the event types at least one enabled endpoint receives (one small query)."""
    subscribed: set[str] = set()
    for events in WebhookEndpoint.objects.filter(enabled=True).values_list("events", flat=True):
        subscribed.update(events)
    return subscribed


def webhook_endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("created_by").order_by("url", "id")


def webhook_endpoint_get(*, public_id: str | uuid.UUID) -> WebhookEndpoint | None:
    """Return the endpoint with this public id, or None (also for a malformed id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return WebhookEndpoint.objects.filter(public_id=key).first()


def webhook_attempt_log(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookAttempt]:
    """Return an endpoint's attempts, newest first, with their deliveries."""
    return (
        WebhookAttempt.objects.filter(endpoint=endpoint)
        .select_related("delivery")
        .order_by("-attempted_at", "-id")
    )
