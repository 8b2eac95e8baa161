"""Reads of the provisioning log: filtered lists and the 24-hour / 7-day summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from alexis.snapshot import Snapshot
from provisioning.models import (
    Operation,
    ProvisioningEvent,
    ProvisioningSettings,
    ProvisioningSettingsChange,
)


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
    oauth_client_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    user_name: str | None = None,
    client_ip: str | None = None,
) -> QuerySet[ProvisioningEvent]:
    """Return events, newest first; status is "failed", "succeeded" or an HTTP code."""
    qs = ProvisioningEvent.objects.select_related("employee", "token")
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
    if oauth_client_id:
        # Every token the token endpoint issued to any of the client's secrets or credentials.
        qs = qs.filter(token__oauth_credential__client_id=oauth_client_id)
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
    """Return the counts for the last `hours` hours."""
    return summaries(hours)[0]


def summaries(*windows_in_hours: int) -> list[Summary]:
    """Return the counts for each window (the last N hours), in 2 + one query per window.

    The counts of every window come from one aggregate, the attributes not kept from one
    read of the latest events that sent any; the most common errors are one query each.
    """
    now = timezone.now()
    sinces = [now - dt.timedelta(hours=hours) for hours in windows_in_hours]
    recent = ProvisioningEvent.objects.filter(occurred_at__gte=min(sinces))
    kinds = {
        "requests": Q(),
        "created": Q(operation=Operation.CREATED),
        "updated": Q(operation__in=[Operation.UPDATED, Operation.REACTIVATED]),
        "deactivated": Q(operation=Operation.DEACTIVATED),
        "deleted": Q(operation=Operation.DELETED),
        "failed": Q(status__gte=400),
    }
    counts = recent.aggregate(
        **{
            f"{kind}_{number}": Count("id", filter=condition & Q(occurred_at__gte=since))
            for number, since in enumerate(sinces)
            for kind, condition in kinds.items()
        }
    )
    not_kept = list(
        recent.exclude(not_kept=[])
        .order_by("-occurred_at")
        .values_list("occurred_at", "not_kept")[:NOT_KEPT_SAMPLE]
    )
    results = []
    for number, since in enumerate(sinces):
        top_errors = (
            recent.filter(occurred_at__gte=since, status__gte=400)
            .exclude(detail="")
            .values_list("detail")
            .annotate(n=Count("id"))
            .order_by("-n", "detail")[:5]
        )
        sent = Counter(name for at, names in not_kept if at >= since for name in names)
        results.append(
            Summary(
                since=since,
                top_errors=[(detail, n) for detail, n in top_errors],
                not_kept=sorted(sent.items(), key=lambda item: (-item[1], item[0]))[:10],
                **{kind: counts[f"{kind}_{number}"] for kind in kinds},
            )
        )
    return results


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


@dataclass(frozen=True)
class FailingStreak:
    """SCIM requests that have all failed since the last one that succeeded."""

    first_event_id: int
    since: dt.datetime
    latest: dt.datetime
    failures: int
    last_error: str


def failing_streak() -> FailingStreak | None:
    """Return the run of failed SCIM requests since the last successful one, if any."""
    last_success = (
        ProvisioningEvent.objects.filter(status__lt=400)
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", flat=True)
        .first()
    )
    failures = ProvisioningEvent.objects.filter(status__gte=400)
    if last_success is not None:
        failures = failures.filter(occurred_at__gt=last_success)
    first = failures.order_by("occurred_at", "id").values_list("id", "occurred_at").first()
    if first is None:
        return None
    latest = failures.order_by("-occurred_at", "-id").values_list("occurred_at", "detail").first()
    return FailingStreak(
        first_event_id=first[0],
        since=first[1],
        latest=latest[0],
        failures=failures.count(),
        last_error=latest[1],
    )


def last_request() -> tuple[int, dt.datetime] | None:
    """Return the id and time of the latest SCIM request, whatever its outcome."""
    return (
        ProvisioningEvent.objects.order_by("-occurred_at", "-id")
        .values_list("id", "occurred_at")
        .first()
    )


def has_synced() -> bool:
    """Return whether any SCIM request has ever succeeded (within the retention)."""
    return ProvisioningEvent.objects.filter(status__lt=400).exists()


def provisioning_settings_default() -> ProvisioningSettings:
    """The settings until an owner saves them: the phone region from SCIM_PHONE_DEFAULT_REGION."""
    region = (getattr(settings, "SCIM_PHONE_DEFAULT_REGION", None) or "").upper()
    return ProvisioningSettings(phone_default_region=region)


# The saved row (None until an owner saves one), read on every SCIM request that carries a
# phone number: kept in the process for a moment (see alexis/snapshot.py).
provisioning_settings_saved = Snapshot(
    lambda: ProvisioningSettings.objects.filter(pk=ProvisioningSettings.SINGLETON_ID).first(),
    watch=(ProvisioningSettings,),
)


def provisioning_settings() -> ProvisioningSettings:
    """Return the provisioning settings (defaults until an owner saves them)."""
    return provisioning_settings_saved.get() or provisioning_settings_default()


def provisioning_settings_history(*, limit: int = 20) -> QuerySet[ProvisioningSettingsChange]:
    """Return the latest changes to the provisioning settings, newest first."""
    return ProvisioningSettingsChange.objects.select_related("actor_user")[:limit]
