"""Writes to the provisioning log: recording events and pruning old ones."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from provisioning.models import ProvisioningEvent

PRUNE_BATCH = 5000


def provisioning_event_prune(
    *, older_than_days: int | None = None, batch_size: int = PRUNE_BATCH
) -> int:
    """Delete events older than the retention in small batches; return how many went.

    Each batch is its own short statement, so the table is never locked for long.
    """
    days = settings.PROVISIONING_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            ProvisioningEvent.objects.filter(occurred_at__lt=cutoff)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += ProvisioningEvent.objects.filter(id__in=ids).delete()[0]
