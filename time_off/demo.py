"""Demo time off for `manage.py seed_demo`: leave types, policies, public holidays of the demo
locations, balances, and past, approved and pending requests.

Bulk writes only (the accrual job for balances, then one INSERT per table for the requests,
their ledger lines and history), so that a demo of 100,000 people stays quick. Requests are
made for at most `MAX_PEOPLE` people, spread over the whole organisation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.models import Channel
from employees.models import Employee, EmploymentType
from organisation.models import Location
from time_off.accrual import accrue
from time_off.calendar import day_cost, leave_year
from time_off.models import (
    Accrual,
    Balance,
    EntryKind,
    HolidayRegion,
    LeaveType,
    LedgerEntry,
    Policy,
    PublicHoliday,
    RequestAction,
    Status,
    TimeOffRequest,
    TimeOffRequestChange,
)
from time_off.selectors import PolicyResolver, work_week_for
from time_off.services import public_holidays_import

# The demo's locations (employees.management.commands.seed_demo) and their holidays' region.
REGIONS = {
    "Stockholm": ("SE", ""),
    "London": ("GB", "ENG"),
    "Boston": ("US", "MA"),
    "Berlin": ("DE", "BE"),
}
MAX_PEOPLE = 10_000
BATCH = 5000


def seed_time_off(*, rng: random.Random, today: dt.date | None = None) -> int:
    """Add the demo's time off, unless any leave type exists; return how many requests."""
    if LeaveType.objects.exists():
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        locations = _locations(today)
        vacation = _configure(locations)
    accrue(today=today)
    with transaction.atomic():
        return _requests(rng, today, vacation)


def _locations(today: dt.date) -> dict[str, Location]:
    """The demo locations as records with their public holidays; people linked to them."""
    locations = {}
    for name, (country, subdivision) in REGIONS.items():
        location = Location.objects.filter(name=name, merged_into=None).first()
        if location is None:
            location = Location.objects.create(name=name, country=country)
        HolidayRegion.objects.update_or_create(
            location=location, defaults={"country": country, "subdivision": subdivision}
        )
        for year in (today.year, today.year + 1):
            public_holidays_import(location=location, year=year)
        # The text names the record; linking them is no change to the person's details.
        Employee.objects.filter(location=name, location_record__isnull=True).update(
            location_record=location
        )
        locations[name] = location
    return locations


def _configure(locations: dict[str, Location]) -> LeaveType:
    vacation = LeaveType.objects.create(name="Vacation", color="#2f6fdd")
    LeaveType.objects.create(name="Sick leave", color="#c0392b", needs_approval=False, private=True)
    LeaveType.objects.create(name="Parental leave", color="#8e44ad", needs_reason=True)
    LeaveType.objects.create(name="Unpaid leave", color="#7f8c8d", paid=False, needs_reason=True)
    Policy.objects.create(
        name="Vacation",
        leave_type=vacation,
        yearly_allowance=Decimal(25),
        carry_over_limit=Decimal(5),
        carry_over_expiry_months=3,
        negative_limit=Decimal(2),
        priority=100,
    )
    Policy.objects.create(
        name="Vacation in Boston",
        leave_type=vacation,
        yearly_allowance=Decimal(15),
        accrual=Accrual.MONTHLY,
        carry_over_limit=Decimal(5),
        location=locations["Boston"],
    )
    Policy.objects.create(
        name="Vacation in Sweden",
        leave_type=vacation,
        yearly_allowance=Decimal(25),
        carry_over_limit=Decimal(10),
        location=locations["Stockholm"],
    )
    Policy.objects.create(
        name="Part-time vacation (Mon to Wed)",
        leave_type=vacation,
        yearly_allowance=Decimal(15),
        carry_over_limit=Decimal(3),
        work_week="012",
        employment_type=EmploymentType.PART_TIME,
        priority=50,  # wins over a location's policy for part-timers there
    )
    return vacation


def _requests(rng: random.Random, today: dt.date, vacation: LeaveType) -> int:
    """Past approved (some denied), coming approved and pending vacation, in bulk."""
    people = list(
        Employee.objects.filter(active=True, deleted_at__isnull=True)
        .order_by("pk")
        .values(
            "pk",
            "manager_id",
            "legal_entity_id",
            "location_record_id",
            "department_record_id",
            "employment_type",
        )
    )
    if not people:
        return 0
    approving = set(
        Employee.objects.filter(active=True, deleted_at__isnull=True).values_list("pk", flat=True)
    )
    step = max(len(people) // MAX_PEOPLE, 1)
    chosen = people[::step]
    # Each manager's first report waits for them, so that every approvals page has content.
    waiting = set()
    seen_managers = set()
    for person in people:
        if person["manager_id"] is not None and person["manager_id"] not in seen_managers:
            seen_managers.add(person["manager_id"])
            waiting.add(person["pk"])
    missing = waiting - {person["pk"] for person in chosen}
    chosen += [person for person in people if person["pk"] in missing]
    holidays: dict[int | None, set[dt.date]] = defaultdict(set)
    for location_id, date in PublicHoliday.objects.filter(removed=False).values_list(
        "location_id", "date"
    ):
        holidays[location_id].add(date)
    resolver = PolicyResolver(policies=Policy.objects.filter(leave_type=vacation))
    year_start, _ = leave_year(today, 1)
    past_from = max(year_start, today - dt.timedelta(days=150))
    balances = dict(Balance.objects.filter(leave_type=vacation).values_list("employee_id", "pk"))
    now = timezone.now()
    rows: list[tuple[TimeOffRequest, list[tuple[str, Decimal]], list[str]]] = []
    for person in chosen:
        policy = resolver.resolve(person, vacation.pk)
        weekdays = work_week_for(policy)
        days_off = holidays[person["location_record_id"]] | holidays[None]
        plans = []
        if (today - past_from).days > 14 and rng.random() < 0.8:
            plans.append(("past", rng.randrange(0, (today - past_from).days - 10)))
        if rng.random() < 0.5 or person["pk"] in waiting:
            plans.append(("coming", rng.randrange(7, 75)))
        for when, offset in plans:
            start = (past_from if when == "past" else today) + dt.timedelta(days=offset)
            end = start + dt.timedelta(days=rng.choice([0, 1, 2, 4, 4, 7, 11]))
            cost = day_cost(start, end, weekdays=weekdays, holidays=days_off)
            if cost <= 0:
                continue
            if when == "past":
                status = Status.DENIED if rng.random() < 0.05 else Status.APPROVED
            elif person["pk"] in waiting:
                status = Status.PENDING
            else:
                status = Status.PENDING if rng.random() < 0.4 else Status.APPROVED
            manager = person["manager_id"]
            request = TimeOffRequest(
                employee_id=person["pk"],
                leave_type=vacation,
                start_date=start,
                end_date=end,
                amount=cost,
                status=status,
                approver_id=manager if manager in approving else None,
                decided_at=None if status == Status.PENDING else now,
                decision_comment="Busy week for the team." if status == Status.DENIED else "",
            )
            lines = [(EntryKind.TAKEN.value, -cost)]
            if status == Status.DENIED:
                lines.append((EntryKind.CANCELLATION.value, cost))
            actions = [RequestAction.REQUESTED.value]
            if status != Status.PENDING:
                actions.append(
                    RequestAction.APPROVED.value
                    if status == Status.APPROVED
                    else RequestAction.DENIED.value
                )
            rows.append((request, lines, actions))
    TimeOffRequest.objects.bulk_create([row[0] for row in rows], batch_size=BATCH)
    entries, changes = [], []
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for request, lines, actions in rows:
        balance_id = balances.get(request.employee_id)
        if balance_id is not None:
            for kind, amount in lines:
                entries.append(
                    LedgerEntry(
                        balance_id=balance_id,
                        kind=kind,
                        amount=amount,
                        effective_date=request.start_date,
                        description=(
                            f"Vacation {request.start_date:%d %b} to {request.end_date:%d %b %Y}"
                            if kind == EntryKind.TAKEN
                            else "Request denied"
                        ),
                        request=request,
                    )
                )
                deltas[balance_id] += amount
        for action in actions:
            changes.append(
                TimeOffRequestChange(
                    request=request,
                    action=action,
                    channel=Channel.SYSTEM,
                    changes=(
                        {"status": [Status.PENDING.value, request.status]}
                        if action != RequestAction.REQUESTED
                        else {
                            "start_date": [None, request.start_date.isoformat()],
                            "end_date": [None, request.end_date.isoformat()],
                            "amount": [None, str(request.amount)],
                        }
                    ),
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
    TimeOffRequestChange.objects.bulk_create(changes, batch_size=BATCH)
    by_delta: dict[Decimal, list[int]] = defaultdict(list)
    for balance_id, delta in deltas.items():
        by_delta[delta].append(balance_id)
    for delta, ids in by_delta.items():
        for index in range(0, len(ids), BATCH):
            Balance.objects.filter(pk__in=ids[index : index + BATCH]).update(
                amount=F("amount") + delta
            )
    return len(rows)
