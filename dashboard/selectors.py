"""The HR dashboard's figures, aggregated in SQL and cached briefly.

Four queries however many employees there are: one pass over the employee table with
conditional counts for twelve months of headcount, joiners and leavers; two GROUP BYs for
departments and locations; one GROUP BY day over the provisioning log's recent index range.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from employees.models import Employee
from provisioning.models import ProvisioningEvent

MONTHS = 12
PROVISIONING_DAYS = 30
TOP_GROUPS = 12
CACHE_SECONDS = 60
OTHERS = "Others"
NOT_SET = "Not set"


@dataclass(frozen=True)
class Month:
    start: dt.date
    end: dt.date  # the month's last day, or today for the current month

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y")


def _months(today: dt.date) -> list[Month]:
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        months.append(Month(start=dt.date(year, month, 1), end=min(last, today)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def _employed_on(day: dt.date) -> Q:
    started = Q(start_date__isnull=True) | Q(start_date__lte=day)
    # An inactive person without an end date left at a time nobody recorded: not counted.
    not_ended = Q(end_date__gt=day) | Q(end_date__isnull=True, active=True)
    return started & not_ended


def _monthly(today: dt.date) -> list[dict]:
    months = _months(today)
    aggregates = {}
    for i, month in enumerate(months):
        aggregates[f"headcount_{i}"] = Count("id", filter=_employed_on(month.end))
        aggregates[f"joiners_{i}"] = Count(
            "id", filter=Q(start_date__gte=month.start, start_date__lte=month.end)
        )
        aggregates[f"leavers_{i}"] = Count(
            "id", filter=Q(end_date__gte=month.start, end_date__lte=month.end)
        )
    counts = Employee.objects.filter(deleted_at__isnull=True).aggregate(**aggregates)
    return [
        {
            "label": month.label,
            "headcount": counts[f"headcount_{i}"],
            "joiners": counts[f"joiners_{i}"],
            "leavers": counts[f"leavers_{i}"],
        }
        for i, month in enumerate(months)
    ]


def _by(field: str) -> list[dict]:
    rows = list(
        Employee.objects.filter(deleted_at__isnull=True, active=True)
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)
    )
    top = [{"label": row[field] or NOT_SET, "count": row["count"]} for row in rows[:TOP_GROUPS]]
    rest = sum(row["count"] for row in rows[TOP_GROUPS:])
    if rest:
        top.append({"label": OTHERS, "count": rest})
    return top


def _provisioning(today: dt.date) -> list[dict]:
    first = today - dt.timedelta(days=PROVISIONING_DAYS - 1)
    # Days of the server's time zone: the figures are cached for everyone, whatever zone
    # the reader is in.
    zone = timezone.get_default_timezone()
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min), zone)
    per_day = {
        row["day"]: row
        for row in ProvisioningEvent.objects.filter(occurred_at__gte=since)
        .annotate(day=TruncDate("occurred_at", tzinfo=zone))
        .values("day")
        .annotate(requests=Count("id"), failures=Count("id", filter=Q(status__gte=400)))
        .order_by()
    }
    days = []
    for offset in range(PROVISIONING_DAYS):
        day = first + dt.timedelta(days=offset)
        row = per_day.get(day, {})
        days.append(
            {
                "label": f"{day.day} {day:%b}",
                "date": day,
                "requests": row.get("requests", 0),
                "failures": row.get("failures", 0),
            }
        )
    return days


def dashboard_figures(*, today: dt.date | None = None) -> dict:
    """Return every figure of the dashboard, computed at most once a minute per day."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())

    def compute() -> dict:
        return {
            "monthly": _monthly(today),
            "departments": _by("department"),
            "locations": _by("location"),
            "provisioning": _provisioning(today),
            "computed_at": timezone.now(),
        }

    return cache.get_or_set(f"dashboard:v1:{today.isoformat()}", compute, CACHE_SECONDS)
