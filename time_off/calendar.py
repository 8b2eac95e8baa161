"""Date arithmetic of time off: working days, leave years, accrual periods and proration.

Pure functions of dates and Decimals, so that services, the job, the projection and the
property tests share one definition.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from time_off.models import Accrual

CENT = Decimal("0.01")
HALF = Decimal("0.5")
ONE = Decimal("1")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from start to end, both included."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def working_days(
    start: dt.date, end: dt.date, *, weekdays: Collection[int], holidays: Collection[dt.date]
) -> list[dt.date]:
    """The days between start and end (included) that are working days and no holiday."""
    return [day for day in days(start, end) if day.weekday() in weekdays and day not in holidays]


def day_cost(
    start: dt.date,
    end: dt.date,
    *,
    weekdays: Collection[int],
    holidays: Collection[dt.date],
    starts_at_noon: bool = False,
    ends_at_noon: bool = False,
) -> Decimal:
    """What a request in days costs: one per working day, half for a half first or last day."""
    counted = working_days(start, end, weekdays=weekdays, holidays=holidays)
    cost = Decimal(len(counted))
    if starts_at_noon and start in counted:
        cost -= HALF
    if ends_at_noon and end in counted and not (start == end and starts_at_noon):
        cost -= HALF
    return cost


def add_working_days(start: dt.date, count: int, *, weekdays: Collection[int]) -> dt.date:
    """The date `count` working days after `start`."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() in weekdays:
            count -= 1
    return day


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def leave_year(day: dt.date, reset_month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the leave year that contains `day`."""
    start = dt.date(day.year, reset_month, 1)
    if day < start:
        start = dt.date(day.year - 1, reset_month, 1)
    return start, _add_months(start, 12) - dt.timedelta(days=1)


def carry_over_expiry(
    day: dt.date, *, reset_month: int, months: int | None
) -> tuple[dt.date, dt.date] | None:
    """The reset date of the leave year containing `day` and the date its carry-over expires,
    or None when carried-over days never expire."""
    if not months:
        return None
    start, _ = leave_year(day, reset_month)
    return start, _add_months(start, months)


def carry_over_unused(*, left: Decimal, limit: Decimal, used: Decimal, balance: Decimal) -> Decimal:
    """What expires of a carry-over: what was carried (what was `left` before the reset, up
    to the `limit`) less the days `used` since the reset, which use up the carry-over first.
    Never more than the balance, so that an expiry never takes a balance below zero."""
    carried = min(max(left, Decimal(0)), limit)
    unused = max(carried - max(used, Decimal(0)), Decimal(0))
    return min(unused, max(balance, Decimal(0)))


def employed_fraction(
    period_start: dt.date,
    period_end: dt.date,
    *,
    start_date: dt.date | None,
    end_date: dt.date | None,
) -> Decimal:
    """The share of the period (0 to 1) between the person's start and end dates."""
    first = max(period_start, start_date) if start_date else period_start
    last = min(period_end, end_date) if end_date else period_end
    if last < first:
        return Decimal(0)
    return Decimal((last - first).days + 1) / Decimal((period_end - period_start).days + 1)


@dataclass(frozen=True)
class Period:
    """One accrual: the key that makes it unique, the day it counts from, and how much."""

    key: str
    start: dt.date
    end: dt.date
    amount: Decimal
    description: str


@functools.lru_cache(maxsize=4096)
def accrual_periods(
    *,
    accrual: str,
    allowance: Decimal,
    reset_month: int,
    start_date: dt.date | None,
    end_date: dt.date | None,
    after: dt.date | None,
    until: dt.date,
) -> tuple[Period, ...]:
    """The accruals that start after `after` (exclusive) and on or before `until`.

    Cached: most people share their periods (the job asks once per person and leave type).

    Up front: the whole year's allowance on the reset date (or the start date), prorated by
    the share of the leave year between the start and end dates. Monthly: a twelfth at the
    start of each month, prorated the same way within the month. Nothing before the start
    date's period or after the end date.
    """
    periods: list[Period] = []
    if accrual == Accrual.UP_FRONT:
        cursor = leave_year(after or until, reset_month)[0]
        while cursor <= until:
            start, end = leave_year(cursor, reset_month)
            fraction = employed_fraction(start, end, start_date=start_date, end_date=end_date)
            if fraction and (after is None or start > after):
                periods.append(
                    Period(
                        f"accrual:{start.isoformat()}",
                        start,
                        end,
                        quantize(allowance * fraction),
                        f"Allowance for the year from {start.day} {start:%b %Y}"
                        + (" (prorated)" if fraction < ONE else ""),
                    )
                )
            cursor = end + dt.timedelta(days=1)
        return tuple(periods)
    monthly = allowance / 12
    cursor = _add_months(after, 1) if after else leave_year(until, reset_month)[0]
    while cursor <= until:
        end = _add_months(cursor, 1) - dt.timedelta(days=1)
        fraction = employed_fraction(cursor, end, start_date=start_date, end_date=end_date)
        if fraction:
            periods.append(
                Period(
                    f"accrual:{cursor:%Y-%m}",
                    cursor,
                    end,
                    quantize(monthly * fraction),
                    f"Accrual for {cursor:%B %Y}" + (" (prorated)" if fraction < ONE else ""),
                )
            )
        cursor = _add_months(cursor, 1)
    return tuple(periods)
