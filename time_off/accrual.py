"""The daily accrual: add what each person's policy gives them, once per period.

Built for 100,000 people: one read of the people, one of their balances, then per chunk of
balances a row lock, one INSERT of the new entries and one UPDATE per distinct amount.
Each entry carries a key naming its period (unique per balance) and `Balance.accrued_until`
records the last period added, so a run that repeats adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from employees.models import Employee
from time_off.calendar import (
    accrual_periods,
    carry_over_expiry,
    carry_over_unused,
    leave_year,
)
from time_off.models import Accrual, Balance, EntryKind, LedgerEntry, PolicyAssignment
from time_off.selectors import PolicyResolver

CHUNK = 5000
ZERO = Decimal(0)


def accrue(*, today: dt.date) -> int:
    """Add the accruals due up to today (and the carry-over cap at a new leave year), and
    expire the carry-overs whose time is up; return how many ledger entries were added."""
    resolver = PolicyResolver()
    if not resolver.by_pk:
        return 0
    type_ids = list(resolver.by_type)
    assigned = {
        (employee_id, type_id): policy_id
        for employee_id, type_id, policy_id in PolicyAssignment.objects.values_list(
            "employee_id", "leave_type_id", "policy_id"
        )
    }
    people = Employee.objects.filter(deleted_at__isnull=True, active=True).values(
        "id",
        "start_date",
        "end_date",
        "legal_entity_id",
        "location_record_id",
        "department_record_id",
        "employment_type",
    )
    wanted: dict[tuple[int, int], tuple[dict, object]] = {}
    for person in people.iterator(chunk_size=5000):
        for type_id in type_ids:
            policy = resolver.resolve(person, type_id, assigned.get((person["id"], type_id)))
            if policy is not None:
                wanted[(person["id"], type_id)] = (person, policy)
    if not wanted:
        return 0
    existing = {
        (employee_id, type_id)
        for employee_id, type_id in Balance.objects.filter(leave_type_id__in=type_ids).values_list(
            "employee_id", "leave_type_id"
        )
    }
    Balance.objects.bulk_create(
        [
            Balance(employee_id=employee_id, leave_type_id=type_id)
            for employee_id, type_id in wanted.keys() - existing
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    # A balance whose current period is already accrued has nothing due: most days, all.
    balance_ids = [
        (pk, employee_id, type_id)
        for pk, employee_id, type_id, accrued_until in Balance.objects.filter(
            leave_type_id__in=type_ids
        )
        .order_by("pk")
        .values_list("pk", "employee_id", "leave_type_id", "accrued_until")
        .iterator(chunk_size=10_000)
        if (employee_id, type_id) in wanted
        and not _up_to_date(accrued_until, wanted[(employee_id, type_id)][1], today)
    ]
    added = 0
    for index in range(0, len(balance_ids), CHUNK):
        chunk = balance_ids[index : index + CHUNK]
        added += _accrue_chunk(chunk, wanted, today)
    return added + _expire_carry_overs(resolver, wanted, today)


def _up_to_date(accrued_until: dt.date | None, policy: Any, today: dt.date) -> bool:
    """Whether the period that contains today is already accrued."""
    if accrued_until is None:
        return False
    if policy.accrual == Accrual.MONTHLY:
        return accrued_until >= today.replace(day=1)
    return accrued_until >= leave_year(today, policy.reset_month)[0]


# An entry to insert: (balance_id, kind, amount, effective_date, description, key). Plain
# tuples: building 100,000 model instances took longer than writing them.
Row = tuple[int, str, Decimal, dt.date, str, str]
COLUMNS = ("balance_id", "kind", "amount", "effective_date", "description", "key")


def _insert(rows: list[Row]) -> None:
    """Insert the entries: with COPY on PostgreSQL (100,000 rows in about a second), else in
    batches."""
    if connection.vendor != "postgresql":
        LedgerEntry.objects.bulk_create(
            (LedgerEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows),
            batch_size=2000,
        )
        return
    now = timezone.now()
    columns = ", ".join((*COLUMNS, "created_at"))
    with connection.cursor() as cursor:
        copy_sql = f"COPY {LedgerEntry._meta.db_table} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row((*row, now))


def _update(locked: dict[int, Any], deltas: dict[int, Decimal], until: dict[int, dt.date]) -> None:
    """Move each balance by what was added, one UPDATE per distinct change.

    The most common change (a full month for most people) is written by id range, leaving
    out the other balances of the locked range: no list of thousands of ids to send.
    """
    by_change: dict[tuple[Decimal, dt.date | None], list[int]] = defaultdict(list)
    for balance_id in deltas.keys() | until.keys():
        by_change[(deltas.get(balance_id, ZERO), until.get(balance_id))].append(balance_id)
    largest = max(by_change, key=lambda change: len(by_change[change]), default=None)
    for change, ids in by_change.items():
        delta, accrued_until = change
        fields: dict = {"amount": F("amount") + delta}
        if accrued_until is not None:
            fields["accrued_until"] = accrued_until
        balances = Balance.objects.filter(pk__in=ids)
        if change == largest:
            others = locked.keys() - set(ids)
            if len(others) < len(ids):
                balances = Balance.objects.filter(pk__gte=min(ids), pk__lte=max(ids)).exclude(
                    pk__in=others
                )
        balances.update(**fields)


def _accrue_chunk(chunk: list[tuple[int, int, int]], wanted: dict, today: dt.date) -> int:
    with transaction.atomic():
        # Locked by id range (the chunk is in id order): no list of 2,000 ids to send.
        locked = dict(
            Balance.objects.select_for_update()
            .filter(pk__gte=chunk[0][0], pk__lte=chunk[-1][0])
            .values_list("pk", "accrued_until")
        )
        entries: list[Row] = []
        deltas: dict[int, Decimal] = defaultdict(Decimal)
        until: dict[int, dt.date] = {}
        year_starts: dict[int, tuple[dt.date, Decimal]] = {}
        for balance_id, employee_id, type_id in chunk:
            person, policy = wanted[(employee_id, type_id)]
            after = locked.get(balance_id)
            periods = accrual_periods(
                accrual=policy.accrual,
                allowance=policy.yearly_allowance,
                reset_month=policy.reset_month,
                start_date=person["start_date"],
                end_date=person["end_date"],
                after=after,
                until=today,
            )
            for period in periods:
                entries.append(
                    (
                        balance_id,
                        EntryKind.ACCRUAL.value,
                        period.amount,
                        max(period.start, person["start_date"] or period.start),
                        period.description,
                        period.key,
                    )
                )
                deltas[balance_id] += period.amount
                until[balance_id] = period.start
            year_start, _ = leave_year(today, policy.reset_month)
            if after is not None and after < year_start <= today:
                year_starts[balance_id] = (year_start, policy.carry_over_limit)
        entries.extend(_carry_over_caps(year_starts, deltas))
        _insert(entries)
        _update(locked, deltas, until)
    return len(entries)


def _carry_over_caps(
    year_starts: dict[int, tuple[dt.date, Decimal]], deltas: dict[int, Decimal]
) -> list[Row]:
    """At a new leave year, what was left beyond the carry-over limit expires."""
    if not year_starts:
        return []
    entries = []
    by_start: dict[dt.date, list[int]] = defaultdict(list)
    for balance_id, (start, _) in year_starts.items():
        by_start[start].append(balance_id)
    for start, ids in by_start.items():
        done = set(
            LedgerEntry.objects.filter(
                balance_id__in=ids, key=f"carry-over:{start.isoformat()}"
            ).values_list("balance_id", flat=True)
        )
        left = dict(
            LedgerEntry.objects.filter(balance_id__in=ids, effective_date__lt=start)
            .values("balance_id")
            .annotate(total=Sum("amount"))
            .values_list("balance_id", "total")
        )
        for balance_id in ids:
            if balance_id in done:
                continue
            limit = year_starts[balance_id][1]
            excess = (left.get(balance_id) or ZERO) - limit
            if excess > ZERO:
                entries.append(
                    (
                        balance_id,
                        EntryKind.EXPIRY.value,
                        -excess,
                        start,
                        f"Left at the end of the leave year beyond the carry-over "
                        f"limit of {limit.normalize():f}",
                        f"carry-over:{start.isoformat()}",
                    )
                )
                deltas[balance_id] += -excess
    return entries


def _expire_carry_overs(resolver: PolicyResolver, wanted: dict, today: dt.date) -> int:
    """N months after the reset date, the carried-over days not used by then expire.

    Only policies whose expiry date has passed this leave year are read; per chunk of their
    balances a row lock, three reads (done, left before the reset, used since) and one write.
    The entry's key names the leave year, so a run that repeats adds nothing.
    """
    due = {}
    for policy in resolver.by_pk.values():
        window = carry_over_expiry(
            today, reset_month=policy.reset_month, months=policy.carry_over_expiry_months
        )
        if window is not None and window[1] <= today and policy.carry_over_limit > ZERO:
            due[policy.pk] = window
    if not due:
        return 0
    type_ids = {resolver.by_pk[pk].leave_type_id for pk in due}
    candidates = [
        (pk, wanted[(employee_id, type_id)][1])
        for pk, employee_id, type_id in Balance.objects.filter(leave_type_id__in=type_ids)
        .order_by("pk")
        .values_list("pk", "employee_id", "leave_type_id")
        .iterator(chunk_size=10_000)
        if (employee_id, type_id) in wanted and wanted[(employee_id, type_id)][1].pk in due
    ]
    added = 0
    for index in range(0, len(candidates), CHUNK):
        by_window: dict[tuple[dt.date, dt.date], list[tuple[int, Any]]] = defaultdict(list)
        for balance_id, policy in candidates[index : index + CHUNK]:
            by_window[due[policy.pk]].append((balance_id, policy))
        for window, balances in by_window.items():
            added += _expire_chunk(window, balances)
    return added


def _expire_chunk(window: tuple[dt.date, dt.date], balances: list[tuple[int, Any]]) -> int:
    start, expires_on = window
    key = f"expiry:{start.isoformat()}"
    ids = [balance_id for balance_id, _ in balances]
    with transaction.atomic():
        amounts = dict(
            Balance.objects.select_for_update().filter(pk__in=ids).values_list("pk", "amount")
        )
        done = set(
            LedgerEntry.objects.filter(balance_id__in=ids, key=key).values_list(
                "balance_id", flat=True
            )
        )
        left = _sums(LedgerEntry.objects.filter(balance_id__in=ids, effective_date__lt=start))
        used = _sums(
            LedgerEntry.objects.filter(
                balance_id__in=ids,
                kind__in=[EntryKind.TAKEN, EntryKind.CANCELLATION],
                effective_date__gte=start,
                effective_date__lt=expires_on,
            )
        )
        entries: list[Row] = []
        deltas: dict[int, Decimal] = {}
        for balance_id, policy in balances:
            if balance_id in done or balance_id not in amounts:
                continue
            carried = min(max(left.get(balance_id, ZERO), ZERO), policy.carry_over_limit)
            taken = -used.get(balance_id, ZERO)
            expiring = carry_over_unused(
                left=left.get(balance_id, ZERO),
                limit=policy.carry_over_limit,
                used=taken,
                balance=amounts[balance_id],
            )
            if expiring <= ZERO:
                continue
            entries.append(
                (
                    balance_id,
                    EntryKind.EXPIRY.value,
                    -expiring,
                    expires_on,
                    f"Carry-over not used by {expires_on.day} {expires_on:%b %Y} "
                    f"({carried.normalize():f} carried over, "
                    f"{max(taken, ZERO).normalize():f} used)",
                    key,
                )
            )
            deltas[balance_id] = -expiring
        _insert(entries)
        by_delta: dict[Decimal, list[int]] = defaultdict(list)
        for balance_id, delta in deltas.items():
            by_delta[delta].append(balance_id)
        for delta, changed in by_delta.items():
            Balance.objects.filter(pk__in=changed).update(amount=F("amount") + delta)
    return len(entries)


def _sums(entries: Any) -> dict[int, Decimal]:
    return dict(
        entries.values("balance_id")
        .annotate(total=Sum("amount"))
        .values_list("balance_id", "total")
    )
