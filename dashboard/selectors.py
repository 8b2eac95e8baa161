"""The HR dashboard's figures, aggregated in SQL and cached briefly.

Three queries however many employees there are, two of them read from small partial indexes
of the employee table rather than the table itself: one GROUP BY (start date, end date,
status), from which twelve months of headcount, joiners and leavers are summed; one GROUP BY
(department, location) for both of those charts; one GROUP BY day over the provisioning log's
recent index range.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
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


def _month_of(day: dt.date, months: list[Month]) -> int | None:
    """Return the index of the month whose days (up to today) include `day`, if any."""
    index = bisect.bisect_left([month.end for month in months], day)
    return index if index < len(months) and day >= months[index].start else None


def _monthly(today: dt.date) -> list[dict]:
    # One GROUP BY (start date, end date, status), read from a small index, gives a few
    # thousand groups; each is placed on the months with a binary search.
    months = _months(today)
    ends = [month.end for month in months]
    headcount = [0] * (len(months) + 1)  # differences: +n where counting starts, -n where it ends
    joiners = [0] * len(months)
    leavers = [0] * len(months)
    groups = (
        Employee.objects.filter(deleted_at__isnull=True)
        .values_list("start_date", "end_date", "active")
        .annotate(count=Count("*"))
        .order_by()
    )
    for start, end, active, count in groups:
        # First month whose last counted day is on or after the start (0 without a start).
        first = 0 if start is None else bisect.bisect_left(ends, start)
        # First month no longer counted: its last counted day is on or after the end date.
        # An inactive person without an end date left at a time nobody recorded.
        last = bisect.bisect_left(ends, end) if end is not None else (len(months) if active else 0)
        if first < last:
            headcount[first] += count
            headcount[last] -= count
        if start is not None and (month := _month_of(start, months)) is not None:
            joiners[month] += count
        if end is not None and (month := _month_of(end, months)) is not None:
            leavers[month] += count
    running = list(itertools.accumulate(headcount[: len(months)]))
    return [
        {
            "label": month.label,
            "headcount": running[i],
            "joiners": joiners[i],
            "leavers": leavers[i],
        }
        for i, month in enumerate(months)
    ]


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
        .annotate(count=Count("*"))
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
