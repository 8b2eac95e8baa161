"""Reads of webhook endpoints and their delivery log."""

from __future__ import annotations

import time
import uuid

from django.db.models import QuerySet

from webhooks.models import WebhookAttempt, WebhookEndpoint

# Every audited write asks which event types are subscribed; the answer is kept in the process
# for a moment, so that a write with no webhook registered costs no query at all. A change to
# endpoints in this process forgets it at once; other processes see it within this time.
SUBSCRIPTIONS_SECONDS = 2.0
_subscriptions: tuple[float, frozenset[str]] = (float("-inf"), frozenset())


def webhook_subscribed_event_types() -> frozenset[str]:
    """Return the event types at least one enabled endpoint receives (cached for 2 seconds)."""
    global _subscriptions
    read_at, subscribed = _subscriptions
    now = time.monotonic()
    if now - read_at < SUBSCRIPTIONS_SECONDS:
        return subscribed
    found: set[str] = set()
    for events in WebhookEndpoint.objects.filter(enabled=True).values_list("events", flat=True):
        found.update(events)
    _subscriptions = (now, frozenset(found))
    return _subscriptions[1]


def webhook_subscriptions_known_empty() -> None:
    """Take it that no endpoint subscribes to anything until an endpoint is saved here.

    For tests, whose database starts empty: writes then cost no query for webhooks however
    long a test runs, as in a process that read the subscriptions a moment ago.
    """
    global _subscriptions
    _subscriptions = (float("inf"), frozenset())


def webhook_subscriptions_forget() -> None:
    """Drop the cached subscriptions so that the next write reads them afresh."""
    global _subscriptions
    _subscriptions = (float("-inf"), frozenset())


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
