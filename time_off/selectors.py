"""Reads of time off: policies for a person, holidays, balances, requests and the calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.roles import is_hr_admin
from employees.models import Employee, EmploymentType
from time_off.calendar import accrual_periods, carry_over_expiry, carry_over_unused, leave_year
from time_off.models import (
    OPEN_STATUSES,
    Balance,
    CalendarFeed,
    EntryKind,
    LeaveType,
    LedgerEntry,
    Policy,
    PolicyAssignment,
    PublicHoliday,
    Status,
    TimeOffRequest,
    TimeOffRequestChange,
    work_week_label,
)

DEFAULT_WORK_WEEK = frozenset(range(5))


def leave_type_list(*, include_archived: bool = False) -> QuerySet[LeaveType]:
    types = LeaveType.objects.all()
    return types if include_archived else types.filter(archived_at__isnull=True)


def policy_list() -> QuerySet[Policy]:
    return Policy.objects.select_related("leave_type", "legal_entity", "location", "department")


def _rules_match(policy: Policy, person: dict[str, Any]) -> bool:
    return (
        (policy.legal_entity_id is None or policy.legal_entity_id == person["legal_entity_id"])
        and (policy.location_id is None or policy.location_id == person["location_record_id"])
        and (policy.department_id is None or policy.department_id == person["department_record_id"])
        and (not policy.employment_type or policy.employment_type == person["employment_type"])
    )


def _specificity(policy: Policy) -> tuple[int, int, int]:
    rules = sum(
        1
        for value in (
            policy.legal_entity_id,
            policy.location_id,
            policy.department_id,
            policy.employment_type,
        )
        if value
    )
    return (-rules, policy.priority, policy.pk)


class PolicyResolver:
    """Finds each person's policy per leave type; loads the policies once for many people."""

    def __init__(self, *, policies: Iterable[Policy] | None = None) -> None:
        loaded = list(policies if policies is not None else Policy.objects.all())
        self.by_pk = {policy.pk: policy for policy in loaded}
        self.by_type: dict[int, list[Policy]] = {}
        for policy in sorted(loaded, key=_specificity):
            self.by_type.setdefault(policy.leave_type_id, []).append(policy)

    def resolve(
        self, person: dict[str, Any], leave_type_id: int, assigned: int | None = None
    ) -> Policy | None:
        """The person's policy (`person` holds the rule fields); `assigned` is a policy id."""
        if assigned is not None and assigned in self.by_pk:
            return self.by_pk[assigned]
        for policy in self.by_type.get(leave_type_id, []):
            if _rules_match(policy, person):
                return policy
        return None


def _person(employee: Employee) -> dict[str, Any]:
    return {
        "legal_entity_id": employee.legal_entity_id,
        "location_record_id": employee.location_record_id,
        "department_record_id": employee.department_record_id,
        "employment_type": employee.employment_type,
    }


def work_week_for(policy: Policy | None, own_work_week: str = "") -> frozenset[int]:
    """The weekdays a request costs: the person's own work week, else the policy's, else
    Monday to Friday. The one answer every reader of working days uses."""
    if own_work_week:
        return frozenset(int(day) for day in own_work_week)
    return policy.working_weekdays if policy is not None else DEFAULT_WORK_WEEK


@dataclass(frozen=True)
class AppliedPolicy:
    """A person's policy for one leave type, whether it was set by hand, and their work week."""

    leave_type: LeaveType
    policy: Policy | None
    assignment: PolicyAssignment | None

    @property
    def by_hand(self) -> bool:
        return self.assignment is not None and self.policy is not None

    @property
    def own_work_week(self) -> str:
        return self.assignment.work_week if self.by_hand else ""

    @property
    def weekdays(self) -> frozenset[int]:
        return work_week_for(self.policy, self.own_work_week)

    @property
    def work_week_label(self) -> str:
        return work_week_label("".join(str(day) for day in self.weekdays))


def applied_policy(*, employee: Employee, leave_type: LeaveType) -> AppliedPolicy:
    """The person's policy for this leave type (None: no limit) and their working days."""
    assignment = (
        PolicyAssignment.objects.filter(employee=employee, leave_type=leave_type)
        .only("id", "policy_id", "work_week")
        .first()
    )
    resolver = PolicyResolver(policies=Policy.objects.filter(leave_type=leave_type))
    policy = resolver.resolve(
        _person(employee), leave_type.pk, assignment.policy_id if assignment else None
    )
    return AppliedPolicy(leave_type, policy, assignment)


def applied_policies(*, employee: Employee) -> list[AppliedPolicy]:
    """The person's policy for each leave type in use, in three queries."""
    resolver = PolicyResolver(policies=policy_list())
    assignments = {
        assignment.leave_type_id: assignment
        for assignment in PolicyAssignment.objects.filter(employee=employee)
    }
    person = _person(employee)
    applied = []
    for leave_type in leave_type_list():
        assignment = assignments.get(leave_type.pk)
        policy = resolver.resolve(
            person, leave_type.pk, assignment.policy_id if assignment else None
        )
        applied.append(AppliedPolicy(leave_type, policy, assignment))
    return applied


def policy_for(*, employee: Employee, leave_type: LeaveType) -> Policy | None:
    """The policy that applies to the person for this leave type, or None (no limit)."""
    return applied_policy(employee=employee, leave_type=leave_type).policy


def policy_rules_label(policy: Policy) -> str:
    """Say whom a policy's rules match ("Location: Stockholm; Employment type: Part time")."""
    rules = []
    if policy.legal_entity_id:
        rules.append(f"Legal entity: {policy.legal_entity}")
    if policy.location_id:
        rules.append(f"Location: {policy.location}")
    if policy.department_id:
        rules.append(f"Department: {policy.department}")
    if policy.employment_type:
        label = dict(EmploymentType.choices).get(policy.employment_type, policy.employment_type)
        rules.append(f"Employment type: {label}")
    return "; ".join(rules) or "Everyone"


def holidays_for(*, employee: Employee, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Public holidays of the person's location and company days off, by date."""
    where = Q(location__isnull=True)
    if employee.location_record_id:
        where |= Q(location_id=employee.location_record_id)
    rows = PublicHoliday.objects.filter(where, removed=False, date__range=(start, end))
    return dict(rows.values_list("date", "name"))


def holiday_list(*, location_id: int | None, year: int) -> QuerySet[PublicHoliday]:
    return PublicHoliday.objects.filter(location_id=location_id, date__year=year).order_by("date")


def balance_list(*, employee: Employee) -> list[Balance]:
    return list(
        Balance.objects.filter(employee=employee, leave_type__archived_at__isnull=True)
        .select_related("leave_type")
        .order_by("leave_type__name")
    )


def balance_get(*, public_id: Any) -> Balance | None:
    return (
        Balance.objects.select_related("employee__user", "employee__manager", "leave_type")
        .filter(public_id=public_id)
        .first()
    )


@dataclass
class LedgerLine:
    entry: LedgerEntry
    running: Decimal


def ledger_lines(*, balance: Balance) -> list[LedgerLine]:
    """The balance's entries in date order, each with the balance after it."""
    running = Decimal(0)
    lines = []
    for entry in balance.entries.select_related("request").order_by("effective_date", "id"):
        running += entry.amount
        lines.append(LedgerLine(entry, running))
    return lines


@dataclass
class Projection:
    until: dt.date
    accruals: Decimal
    amount: Decimal
    expiring: Decimal = Decimal(0)
    expires_on: dt.date | None = None


def balance_projection(*, balance: Balance, today: dt.date) -> Projection | None:
    """The balance at the end of the leave year, with the accruals still to come."""
    policy = policy_for(employee=balance.employee, leave_type=balance.leave_type)
    if policy is None:
        return None
    _, year_end = leave_year(today, policy.reset_month)
    coming = accrual_periods(
        accrual=policy.accrual,
        allowance=policy.yearly_allowance,
        reset_month=policy.reset_month,
        start_date=balance.employee.start_date,
        end_date=balance.employee.end_date,
        after=balance.accrued_until or today,
        until=year_end,
    )
    accruals = sum((period.amount for period in coming), Decimal(0))
    expiring, expires_on = _carry_over_expiring(balance, policy, today)
    return Projection(
        year_end, accruals, balance.amount + accruals - expiring, expiring, expires_on
    )


def _carry_over_expiring(
    balance: Balance, policy: Policy, today: dt.date
) -> tuple[Decimal, dt.date | None]:
    """The carry-over still to expire this leave year, as of the requests made so far."""
    window = carry_over_expiry(
        today, reset_month=policy.reset_month, months=policy.carry_over_expiry_months
    )
    if window is None or policy.carry_over_limit <= 0:
        return Decimal(0), None
    start, expires_on = window
    entries = balance.entries.all()
    if entries.filter(key=f"expiry:{start.isoformat()}").exists():
        return Decimal(0), None
    totals = entries.aggregate(
        left=Sum("amount", filter=Q(effective_date__lt=start)),
        used=Sum(
            "amount",
            filter=Q(
                kind__in=[EntryKind.TAKEN, EntryKind.CANCELLATION],
                effective_date__gte=start,
                effective_date__lt=expires_on,
            ),
        ),
    )
    expiring = carry_over_unused(
        left=totals["left"] or Decimal(0),
        limit=policy.carry_over_limit,
        used=-(totals["used"] or Decimal(0)),
        balance=balance.amount,
    )
    return expiring, expires_on if expiring > 0 else None


def request_get(*, public_id: Any) -> TimeOffRequest | None:
    return (
        TimeOffRequest.objects.select_related(
            "employee__user", "employee__manager", "leave_type", "approver__user", "decided_by"
        )
        .filter(public_id=public_id)
        .first()
    )


def request_list_for(*, employee: Employee) -> QuerySet[TimeOffRequest]:
    return TimeOffRequest.objects.filter(employee=employee).select_related("leave_type")


def request_history(*, request: TimeOffRequest) -> QuerySet[TimeOffRequestChange]:
    return request.changes.select_related("actor_user", "actor_token").order_by(
        "-changed_at", "-id"
    )


def overlapping_requests(
    *, employee: Employee, start: dt.date, end: dt.date
) -> QuerySet[TimeOffRequest]:
    return TimeOffRequest.objects.filter(
        employee=employee, status__in=OPEN_STATUSES, start_date__lte=end, end_date__gte=start
    )


def pending_for_approver(*, user: AbstractBaseUser) -> QuerySet[TimeOffRequest]:
    """Requests waiting for this person: theirs as manager, and HR's queue for HR admins."""
    where = Q()
    employee = getattr(user, "employee", None)
    if employee is not None and employee.deleted_at is None and employee.active:
        where |= Q(approver=employee)
    if is_hr_admin(user):
        where |= Q(approver__isnull=True)
    if not where:
        return TimeOffRequest.objects.none()
    queryset = TimeOffRequest.objects.filter(where, status=Status.PENDING)
    if employee is not None:
        queryset = queryset.exclude(employee=employee)
    return queryset.select_related("employee", "leave_type").order_by("created_at", "id")


def user_can_decide(*, user: AbstractBaseUser, request: TimeOffRequest) -> bool:
    """The approver (the manager) or an HR admin may decide; nobody decides their own."""
    if not user.is_authenticated or not user.is_active:
        return False
    if request.employee.user_id == user.pk:
        return False
    employee = getattr(user, "employee", None)
    if (
        employee is not None
        and request.approver_id == employee.pk
        and employee.active
        and employee.deleted_at is None
    ):
        return True
    return is_hr_admin(user)


def user_can_open_attachment(*, user: AbstractBaseUser, request: TimeOffRequest) -> bool:
    """The person, the request's approver, and HR admins and owners open its attachment."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_hr_admin(user):
        return True
    own = getattr(user, "employee", None)
    if own is None or own.deleted_at is not None:
        return False
    return own.pk == request.employee_id or (own.pk == request.approver_id and own.active)


def user_can_view_person(*, user: AbstractBaseUser, employee: Employee) -> bool:
    """The person, their manager, and HR see a person's requests and balances."""
    if is_hr_admin(user):
        return True
    own = getattr(user, "employee", None)
    if own is None or own.deleted_at is not None:
        return False
    return own.pk in (employee.pk, employee.manager_id)


def team_away_today(*, manager: Employee, today: dt.date) -> QuerySet[TimeOffRequest]:
    """The manager's reports away today (approved time off)."""
    return (
        TimeOffRequest.objects.filter(
            employee__manager=manager,
            employee__deleted_at__isnull=True,
            status=Status.APPROVED,
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related("employee", "leave_type")
        .order_by("employee__family_name", "employee__given_name")
    )


@dataclass
class CalendarRow:
    employee: Employee
    cells: list[dict[str, Any]]

    def cells_html(self) -> str:
        """The row's day cells, built here once: a month of cells for 50 people is 1,500
        template iterations otherwise."""
        return format_html_join(
            "",
            "{}",
            (
                (
                    format_html(
                        '<td class="away lt-{}{}" title="{}"><span class="visually-hidden">'
                        "{}</span></td>",
                        cell["css"],
                        " pending" if cell["pending"] else "",
                        cell["title"],
                        cell["title"],
                    )
                    if cell
                    else mark_safe("<td></td>"),
                )
                for cell in self.cells
            ),
        )


def calendar_month(
    *,
    first: dt.date,
    last: dt.date,
    people: QuerySet[Employee],
    viewer: AbstractBaseUser,
    offset: int = 0,
    limit: int = 50,
) -> tuple[bool, list[CalendarRow]]:
    """People away between first and last (a page of them) with a cell per day, and whether
    more follow.

    Reads only the requests that overlap the range shown: one query reads a page of the
    people away, one their requests in the range. Private types show as "Away" to anyone but
    the person, their manager and HR.
    """
    in_range = TimeOffRequest.objects.filter(
        status__in=OPEN_STATUSES, start_date__lte=last, end_date__gte=first
    )
    # EXISTS per person probes the (employee, start_date) index: a department of 2,000 costs
    # 2,000 index probes, whatever the number of requests in the company. One row more than
    # the page says whether there is a next page, without counting everyone.
    away = people.filter(Exists(in_range.filter(employee_id=OuterRef("pk"))))
    page = list(away.order_by("family_name", "given_name", "id")[offset : offset + limit + 1])
    has_next = len(page) > limit
    page = page[:limit]
    requests = (
        in_range.filter(employee__in=[person.pk for person in page])
        .select_related("leave_type")
        .order_by("start_date")
    )
    by_person: dict[int, list[TimeOffRequest]] = {}
    for request in requests:
        by_person.setdefault(request.employee_id, []).append(request)
    hr = is_hr_admin(viewer)
    own = getattr(viewer, "employee", None)
    rows = []
    day_count = (last - first).days + 1
    for person in page:
        sees_type = hr or (own is not None and own.pk in (person.pk, person.manager_id))
        cells: list[dict[str, Any]] = [{} for _ in range(day_count)]
        for request in by_person.get(person.pk, []):
            label = (
                request.leave_type.name if sees_type or not request.leave_type.private else "Away"
            )
            start = max(request.start_date, first)
            end = min(request.end_date, last)
            for index in range((start - first).days, (end - first).days + 1):
                cells[index] = {
                    "label": label,
                    "title": f"{label} (pending)" if request.status == Status.PENDING else label,
                    "css": request.leave_type_id if label != "Away" else "away",
                    "pending": request.status == Status.PENDING,
                }
        rows.append(CalendarRow(person, cells))
    return has_next, rows


def feed_get(*, employee: Employee) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(employee=employee).first()


def requests_for_feed(*, employee: Employee) -> QuerySet[TimeOffRequest]:
    return (
        TimeOffRequest.objects.filter(employee=employee, status__in=OPEN_STATUSES)
        .select_related("leave_type")
        .order_by("start_date")
    )
