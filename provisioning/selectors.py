"""Reads of the provisioning log: filtered lists and the 24-hour / 7-day summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from provisioning.models import Operation, ProvisioningEvent


@dataclass(frozen=True)
class Summary:
    """Counts for one time window, and its most common error messages."""

    since: dt.datetime
    requests: int
    created: int
    updated: int
    deactivated: int
    deleted: int
    failed: int
    top_errors: list[tuple[str, int]]
    # Attributes sent that Alexis does not keep, with how many requests sent each (counted
    # over the latest NOT_KEPT_SAMPLE requests that sent any).
    not_kept: list[tuple[str, int]] = field(default_factory=list)


NOT_KEPT_SAMPLE = 1000


def event_list(
    *,
    status: str | None = None,
    operation: str | None = None,
    token_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    user_name: str | None = None,
    client_ip: str | None = None,
) -> QuerySet[ProvisioningEvent]:
    """Return events, newest first; status is "failed", "succeeded" or an HTTP code."""
    qs = ProvisioningEvent.objects.select_related("employee")
    if status == "failed":
        qs = qs.filter(status__gte=400)
    elif status == "succeeded":
        qs = qs.filter(status__lt=400)
    elif status and status.isdigit():
        qs = qs.filter(status=int(status))
    if operation:
        qs = qs.filter(operation=operation)
    if token_id:
        qs = qs.filter(token_id=token_id)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lt=until)
    if user_name:
        qs = qs.alias(user_name_ci=Lower("user_name")).filter(
            user_name_ci=user_name.strip().lower()
        )
    if client_ip:
        qs = qs.filter(client_ip=client_ip)
    return qs


def summary(*, hours: int) -> Summary:
    """Return the counts for the last `hours` hours in three queries."""
    since = timezone.now() - dt.timedelta(hours=hours)
    window = ProvisioningEvent.objects.filter(occurred_at__gte=since)
    counts = window.aggregate(
        requests=Count("id"),
        created=Count("id", filter=Q(operation=Operation.CREATED)),
        updated=Count("id", filter=Q(operation__in=[Operation.UPDATED, Operation.REACTIVATED])),
        deactivated=Count("id", filter=Q(operation=Operation.DEACTIVATED)),
        deleted=Count("id", filter=Q(operation=Operation.DELETED)),
        failed=Count("id", filter=Q(status__gte=400)),
    )
    top_errors = list(
        window.filter(status__gte=400)
        .exclude(detail="")
        .values_list("detail")
        .annotate(n=Count("id"))
        .order_by("-n", "detail")[:5]
    )
    sent = Counter(
        name
        for names in window.exclude(not_kept=[])
        .order_by("-occurred_at")
        .values_list("not_kept", flat=True)[:NOT_KEPT_SAMPLE]
        for name in names
    )
    return Summary(
        since=since,
        top_errors=[(d, n) for d, n in top_errors],
        not_kept=sorted(sent.items(), key=lambda item: (-item[1], item[0]))[:10],
        **counts,
    )


def failed_authentication_bursts(*, hours: int = 24, minimum: int = 5) -> list[dict]:
    """Return client IPs with at least `minimum` refused authentications in the window."""
    since = timezone.now() - dt.timedelta(hours=hours)
    return list(
        ProvisioningEvent.objects.filter(occurred_at__gte=since, status__in=[401, 429])
        .values("client_ip")
        .annotate(failures=Count("id"), last_seen=Max("occurred_at"))
        .filter(failures__gte=minimum)
        .order_by("-failures")[:20]
    )


def last_successful_sync() -> dt.datetime | None:
    """Return when the identity provider last changed something successfully."""
    return (
        ProvisioningEvent.objects.filter(
            status__lt=400,
            operation__in=[
                Operation.CREATED,
                Operation.UPDATED,
                Operation.DEACTIVATED,
                Operation.REACTIVATED,
                Operation.DELETED,
            ],
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


def failures_since(*, hours: int = 24) -> int:
    """Return how many SCIM requests failed in the last `hours` hours."""
    since = timezone.now() - dt.timedelta(hours=hours)
    return ProvisioningEvent.objects.filter(occurred_at__gte=since, status__gte=400).count()


def event_page(
    queryset: QuerySet[ProvisioningEvent], *, before: tuple[dt.datetime, int] | None, size: int
) -> tuple[list[ProvisioningEvent], tuple[dt.datetime, int] | None]:
    """Return one page of events older than `before` and the cursor of the next page.

    Keyset paging on (occurred_at, id): no COUNT and no OFFSET, so a page costs the same
    however large the log grows.
    """
    if before is not None:
        at, pk = before
        queryset = queryset.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
    rows = list(queryset.order_by("-occurred_at", "-id")[: size + 1])
    page = rows[:size]
    cursor = (page[-1].occurred_at, page[-1].id) if len(rows) > size else None
    return page, cursor
