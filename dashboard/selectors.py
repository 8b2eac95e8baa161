"""The HR dashboard's figures, aggregated in SQL and cached briefly.

Three queries however many employees there are: one GROUP BY over the employee table by
start month, end month and status, from which twelve months of headcount, joiners and leavers
are summed; one GROUP BY (department, location) for both of those charts; one GROUP BY day
over the provisioning log's recent index range.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import TruncDate, TruncMonth
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


def _monthly(today: dt.date) -> list[dict]:
    # One GROUP BY over the employee table, by start month, end month and status (a few
    # thousand groups at most); each month's figures are then sums over those groups. The
    # two flags tell, within the current month, who starts or ends after today.
    groups = list(
        Employee.objects.filter(deleted_at__isnull=True)
        .values(
            "active",
            start_month=TruncMonth("start_date"),
            end_month=TruncMonth("end_date"),
            starts_later=ExpressionWrapper(Q(start_date__gt=today), output_field=BooleanField()),
            ends_later=ExpressionWrapper(Q(end_date__gt=today), output_field=BooleanField()),
        )
        .annotate(count=Count("id"))
        .order_by()
    )
    figures = []
    for month in _months(today):
        partial = month.end == today  # the current month counts up to today only

        def started(group, month=month, partial=partial) -> bool:
            start = group["start_month"]
            if start is None or start < month.start:
                return True
            return start == month.start and not (partial and group["starts_later"])

        def ended(group, month=month, partial=partial) -> bool:
            end = group["end_month"]
            if end is None or end > month.start:
                return False
            return end < month.start or not (partial and group["ends_later"])

        headcount = joiners = leavers = 0
        for group in groups:
            count = group["count"]
            if started(group):
                # An inactive person without an end date left at a time nobody recorded.
                if not ended(group) and (group["end_month"] is not None or group["active"]):
                    headcount += count
                if group["start_month"] == month.start:
                    joiners += count
            if ended(group) and group["end_month"] == month.start:
                leavers += count
        figures.append(
            {"label": month.label, "headcount": headcount, "joiners": joiners, "leavers": leavers}
        )
    return figures


def _top(counts: dict[str, int]) -> list[dict]:
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = [{"label": label or NOT_SET, "count": count} for label, count in rows[:TOP_GROUPS]]
    rest = sum(count for _, count in rows[TOP_GROUPS:])
    if rest:
        top.append({"label": OTHERS, "count": rest})
    return top


def _by_department_and_location() -> tuple[list[dict], list[dict]]:
    # One pass for both charts: active employees grouped by (department, location).
    departments: dict[str, int] = {}
    locations: dict[str, int] = {}
    rows = (
        Employee.objects.filter(deleted_at__isnull=True, active=True)
        .values_list("department", "location")
        .annotate(count=Count("id"))
        .order_by()
    )
    for department, location, count in rows:
        departments[department] = departments.get(department, 0) + count
        locations[location] = locations.get(location, 0) + count
    return _top(departments), _top(locations)


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
        departments, locations = _by_department_and_location()
        return {
            "monthly": _monthly(today),
            "departments": departments,
            "locations": locations,
            "provisioning": _provisioning(today),
            "computed_at": timezone.now(),
        }

    return cache.get_or_set(f"dashboard:v1:{today.isoformat()}", compute, CACHE_SECONDS)
