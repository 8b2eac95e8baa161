"""Background tasks that send webhooks. Each is idempotent: a re-run sends nothing twice."""

from __future__ import annotations

from django_tasks import task

from webhooks import services


@task()
def webhook_dispatch(record_label: str, events: list[list]) -> int:
    """Create the deliveries of some history entries and make their first attempts."""
    deliveries = services.webhook_deliveries_create(record_label=record_label, events=events)
    for delivery in deliveries:
        services.webhook_attempt(delivery_id=delivery.pk, attempt=1, delivery=delivery)
    return len(deliveries)


@task()
def webhook_deliver(delivery_id: int, attempt: int) -> None:
    """Retry a delivery (attempt 2, 3, ...), scheduled by the attempt before."""
    services.webhook_attempt(delivery_id=delivery_id, attempt=attempt)


@task()
def webhook_resend(delivery_id: int) -> None:
    """Send a delivery once more because an owner asked."""
    services.webhook_attempt(delivery_id=delivery_id, attempt=0, resend=True)


@task()
def webhook_log_prune() -> int:
    """Delete deliveries (with their attempts) older than the delivery log's retention."""
    return services.webhook_delivery_prune()
