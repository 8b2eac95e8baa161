"""Writes for webhooks: endpoints (owners) and deliveries (the worker)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from jobs.queue import enqueue_on_commit
from notifications.services import notify
from webhooks.crypto import decrypt_secret, encrypt_secret, generate_secret, reencrypt_secret, sign
from webhooks.events import EVENT_TYPES, SOURCES, event_name
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.network import post
from webhooks.selectors import webhook_subscriptions_forget

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Waits before retries 2, 3, ... (the Standard Webhooks schedule): a delivery is tried for
# about a day (27.6 hours) before it is given up.
RETRY_DELAYS = [
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
]


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown to the owner once, never stored in the clear


def _subscriptions_changed() -> None:
    webhook_subscriptions_forget()
    transaction.on_commit(webhook_subscriptions_forget)


def _validate(endpoint: WebhookEndpoint) -> None:
    errors: dict[str, list[str]] = {}
    try:
        endpoint.full_clean(exclude=["secret_encrypted", "secret_last4", "events"])
    except ValidationError as exc:
        errors = exc.message_dict
    scheme = urlsplit(endpoint.url).scheme.lower()
    if "url" not in errors and scheme != "https" and not settings.WEBHOOKS_ALLOW_HTTP:
        errors["url"] = ["Use an https:// URL: deliveries are sent over HTTPS only."]
    unknown = [name for name in endpoint.events if name not in EVENT_TYPES]
    if not endpoint.events:
        errors["events"] = ["Choose at least one event."]
    elif unknown:
        errors["events"] = [f"Unknown event type: {', '.join(unknown)}."]
    if errors:
        raise ValidationError(errors)


def webhook_endpoint_create(
    *, url: str, events: list[str], description: str = "", created_by: User | None
) -> CreatedEndpoint:
    """Register an endpoint and return it with its signing secret (to show once)."""
    secret = generate_secret()
    endpoint = WebhookEndpoint(
        url=url.strip(),
        description=description,
        events=sorted(set(events)),
        secret_encrypted=encrypt_secret(secret),
        secret_last4=secret[-4:],
        created_by=created_by,
    )
    _validate(endpoint)
    endpoint.save()
    _subscriptions_changed()
    logger.info(
        "webhook endpoint %s created by user %s", endpoint.pk, getattr(created_by, "pk", None)
    )
    return CreatedEndpoint(endpoint=endpoint, secret=secret)


def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str
) -> WebhookEndpoint:
    """Change an endpoint's URL, events or description."""
    endpoint.url = url.strip()
    endpoint.events = sorted(set(events))
    endpoint.description = description
    _validate(endpoint)
    endpoint.save(update_fields=["url", "events", "description", "updated_at"])
    _subscriptions_changed()
    return endpoint


def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    """Give the endpoint a new signing secret at once and return it (to show once)."""
    secret = generate_secret()
    endpoint.secret_encrypted = encrypt_secret(secret)
    endpoint.secret_last4 = secret[-4:]
    endpoint.save(update_fields=["secret_encrypted", "secret_last4", "updated_at"])
    return secret


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Turn deliveries to an endpoint back on; its failure count starts again."""
    endpoint.enabled = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.failing_since = None
    endpoint.save(
        update_fields=["enabled", "disabled_at", "disabled_reason", "failing_since", "updated_at"]
    )
    _subscriptions_changed()
    return endpoint


def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> WebhookEndpoint:
    """Stop deliveries to an endpoint (pending retries give up)."""
    endpoint.enabled = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason[:200]
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason", "updated_at"])
    _subscriptions_changed()
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint with its delivery log."""
    endpoint.delete()
    _subscriptions_changed()


def reencrypt_all_secrets() -> int:
    """Re-encrypt every signing secret under the newest key; return how many."""
    count = 0
    for endpoint in WebhookEndpoint.objects.only("pk", "secret_encrypted").iterator():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret_encrypted=reencrypt_secret(endpoint.secret_encrypted)
        )
        count += 1
    return count


# -- deliveries --------------------------------------------------------------------------------


@contextmanager
def _bookkeeping() -> Iterator[None]:
    """A transaction for the delivery log that does not wait for the disk (PostgreSQL).

    With synchronous_commit off, the commit returns before its WAL record is flushed: a
    PostgreSQL crash can lose the last fraction of a second of these writes, never corrupt
    them. That only means an attempt is made again: the task that wrote them finishes with
    a durable commit after them (WAL is flushed in order), or it is run again, and every
    step is idempotent; receivers drop a repeated webhook-id. Each flush saved is a disk
    round trip per delivery (~10 ms on a busy shared disk).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _changes(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"old": value[0], "new": value[1]}
        if isinstance(value, list) and len(value) == 2
        else value
        for name, value in changes.items()
    }


def event_payload(*, event_id: str, event_type: str, record: Any) -> dict[str, Any]:
    """Return an event's JSON body: id, type, time and the resource with what changed."""
    source = SOURCES[record._meta.label]
    return {
        "id": event_id,
        "type": event_type,
        "timestamp": record.changed_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "object": source.resource(record.subject),
            "changes": _changes(record.changes),
            "channel": record.channel,
        },
    }


def webhook_deliveries_create(*, record_label: str, events: list[list]) -> list[WebhookDelivery]:
    """Create one delivery per (event, subscribed endpoint); return those not yet attempted.

    Idempotent: a delivery exists once per endpoint and event id, so a re-run task returns
    only the deliveries that still wait for their first attempt (with their endpoints).
    """
    model = apps.get_model(record_label)
    source = SOURCES[record_label]
    event_ids = {int(pk): event_id for pk, event_id in events}
    records = model.objects.filter(pk__in=event_ids).select_related(
        model.subject_field, *source.select_related
    )
    endpoints = list(WebhookEndpoint.objects.filter(enabled=True))
    deliveries = []
    for record in records:
        name = event_name(record_label, record.action)
        targets = [endpoint for endpoint in endpoints if name in endpoint.events]
        if not targets:
            continue
        payload = event_payload(event_id=event_ids[record.pk], event_type=name, record=record)
        deliveries += [
            WebhookDelivery(
                endpoint=endpoint, event_id=event_ids[record.pk], event_type=name, payload=payload
            )
            for endpoint in targets
        ]
    if not deliveries:
        return []
    with _bookkeeping():
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        return list(
            WebhookDelivery.objects.filter(
                event_id__in=event_ids.values(), attempts=0, status=DeliveryStatus.PENDING
            )
            .select_related("endpoint")
            .order_by("id")
        )


def _signed_headers(endpoint: WebhookEndpoint, event_id: str, body: bytes) -> dict[str, str]:
    timestamp = int(timezone.now().timestamp())
    secret = decrypt_secret(endpoint.secret_encrypted)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id=event_id, timestamp=timestamp, body=body),
    }


def webhook_attempt(
    *,
    delivery_id: int,
    attempt: int,
    resend: bool = False,
    delivery: WebhookDelivery | None = None,
) -> WebhookAttempt | None:
    """Send a delivery once and record the attempt; schedule the next retry if it failed.

    Attempt n runs only while the delivery is pending with n - 1 attempts, so a duplicate
    task does nothing. A resend (an owner's request) is one extra attempt outside the count.
    `delivery`, read with its endpoint, saves reading it again when the caller just did.
    """
    now = timezone.now()
    if not resend:
        with _bookkeeping():
            claimed = WebhookDelivery.objects.filter(
                pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1
            ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None)
        if not claimed:
            return None
    if delivery is None:
        delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
        if delivery is None:
            return None
    endpoint = delivery.endpoint
    if not endpoint.enabled and not resend:
        delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=["status"])
        return _attempt_record(
            delivery, now, succeeded=False, error="Not sent: the endpoint is off."
        )
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    result = post(
        endpoint.url, body=body, headers=_signed_headers(endpoint, delivery.event_id, body)
    )
    with _bookkeeping():
        record = _attempt_record(
            delivery,
            now,
            succeeded=result.succeeded,
            response_status=result.status,
            error=result.error,
            duration_ms=result.duration_ms,
            resend=resend,
        )
        if result.succeeded:
            _delivered(delivery, endpoint)
        else:
            _failed(delivery, endpoint, attempt=attempt, resend=resend, now=now)
    return record


def _attempt_record(delivery: WebhookDelivery, now: dt.datetime, **fields: Any) -> WebhookAttempt:
    return WebhookAttempt.objects.create(
        delivery=delivery, endpoint_id=delivery.endpoint_id, attempted_at=now, **fields
    )


def _delivered(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SUCCEEDED, next_attempt_at=None
    )
    if endpoint.failing_since is not None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)


def _failed(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    *,
    attempt: int,
    resend: bool,
    now: dt.datetime,
) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    endpoint.refresh_from_db(fields=["failing_since", "enabled"])
    disable_after = dt.timedelta(hours=settings.WEBHOOKS_DISABLE_AFTER_HOURS)
    if endpoint.enabled and now - endpoint.failing_since >= disable_after:
        _disable_failing(endpoint)
    if resend:
        return
    if attempt <= len(RETRY_DELAYS) and endpoint.enabled:
        when = now + RETRY_DELAYS[attempt - 1]
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=when)
        _schedule_retry(delivery.pk, attempt + 1, when)
    else:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None
        )


def _schedule_retry(delivery_id: int, attempt: int, when: dt.datetime) -> None:
    from webhooks.tasks import webhook_deliver

    if not webhook_deliver.get_backend().supports_defer:
        # A backend that cannot wait (the immediate one, in tests) leaves the retry pending.
        return
    enqueue_on_commit(webhook_deliver.using(run_after=when), delivery_id, attempt)


def _disable_failing(endpoint: WebhookEndpoint) -> None:
    hours = settings.WEBHOOKS_DISABLE_AFTER_HOURS
    webhook_endpoint_disable(
        endpoint=endpoint, reason=f"Every delivery attempt failed for {hours} hours."
    )
    logger.warning("webhook endpoint %s disabled after failing for %s hours", endpoint.pk, hours)
    notify(
        kind="webhooks.endpoint_disabled",
        params={"endpoint_id": endpoint.pk},
        key=f"endpoint-{endpoint.pk}-off-{endpoint.disabled_at.isoformat()}",
    )


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Queue one more attempt of a delivery, whatever its state (an owner's "Resend")."""
    from webhooks.tasks import webhook_resend

    enqueue_on_commit(webhook_resend, delivery.pk)


PRUNE_BATCH = 5000


def webhook_delivery_prune(*, older_than_days: int | None = None) -> int:
    """Delete finished deliveries older than the retention, in batches; return how many went."""
    days = settings.WEBHOOKS_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            WebhookDelivery.objects.filter(created_at__lt=cutoff)
            .exclude(status=DeliveryStatus.PENDING)
            .order_by("id")
            .values_list("id", flat=True)[:PRUNE_BATCH]
        )
        if not ids:
            return deleted
        WebhookAttempt.objects.filter(delivery_id__in=ids).delete()
        deleted += WebhookDelivery.objects.filter(id__in=ids).delete()[0]
