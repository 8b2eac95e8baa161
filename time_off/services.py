"""Writes of time off. Every balance change adds a ledger entry and moves `Balance.amount` by
the same amount in the same transaction; every request change is recorded in its history."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import holidays as holiday_data
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from access_tokens.crypto import CALENDAR_FEED_MARKER
from accounts.roles import is_hr_admin
from audit.actor import Actor
from audit.services import change_record
from employees.models import Employee
from time_off import attachments
from time_off.calendar import day_cost, quantize, working_days
from time_off.models import (
    OPEN_STATUSES,
    Balance,
    CalendarFeed,
    EntryKind,
    HolidayRegion,
    HolidaySource,
    LeaveType,
    LedgerEntry,
    Policy,
    PolicyAssignment,
    PublicHoliday,
    RequestAction,
    Status,
    TimeOffRequest,
    TimeOffRequestChange,
    Unit,
)
from time_off.selectors import applied_policy, holidays_for

ZERO = Decimal(0)


# --- Configuration -------------------------------------------------------------------------


def config_save(*, instance: LeaveType | Policy) -> LeaveType | Policy:
    """Validate and save a leave type or a policy as HR configured it."""
    instance.full_clean()
    instance.save()
    return instance


def policy_assignment_set(
    *, employee: Employee, leave_type: LeaveType, policy: Policy | None, work_week: str = ""
) -> PolicyAssignment | None:
    """Give the person a policy (and optionally their own work week) for a leave type by hand;
    without a policy, go back to the rules. Return the assignment, or None for the rules."""
    if policy is None:
        if work_week:
            raise ValidationError(
                {"work_days": "To give this person their own working days, choose a policy."}
            )
        PolicyAssignment.objects.filter(employee=employee, leave_type=leave_type).delete()
        return None
    if policy.leave_type_id != leave_type.pk:
        raise ValidationError({"policy": f"Choose a policy of {leave_type}."})
    with transaction.atomic():
        assignment = (
            PolicyAssignment.objects.select_for_update()
            .filter(employee=employee, leave_type=leave_type)
            .first()
        ) or PolicyAssignment(employee=employee, leave_type=leave_type)
        assignment.policy = policy
        assignment.work_week = "".join(sorted(set(work_week)))
        assignment.full_clean()
        assignment.save()
    return assignment


def holiday_region_set(*, location: Any, country: str, subdivision: str = "") -> HolidayRegion:
    """Say which country (and subdivision) a location's public holidays come from."""
    country = country.strip().upper()
    subdivision = subdivision.strip().upper()
    supported = holiday_data.list_supported_countries()
    if country not in supported:
        raise ValidationError({"country": "The holidays package does not know this country."})
    if subdivision and subdivision not in supported[country]:
        raise ValidationError(
            {"subdivision": f"{country} has no subdivision {subdivision} in the holidays package."}
        )
    region, _ = HolidayRegion.objects.update_or_create(
        location=location, defaults={"country": country, "subdivision": subdivision}
    )
    return region


def public_holidays_import(*, location: Any, year: int) -> int:
    """Add the year's public holidays of the location's region; return how many were new.

    Days already listed (including ones HR removed) are left as they are.
    """
    region = HolidayRegion.objects.filter(location=location).first()
    if region is None:
        raise ValidationError("Choose the country of this location's public holidays first.")
    days = holiday_data.country_holidays(
        region.country, subdiv=region.subdivision or None, years=year
    )
    existing = set(
        PublicHoliday.objects.filter(location=location, date__year=year).values_list(
            "date", flat=True
        )
    )
    new = [
        PublicHoliday(location=location, date=day, name=name[:200], source=HolidaySource.PACKAGE)
        for day, name in sorted(days.items())
        if day not in existing
    ]
    PublicHoliday.objects.bulk_create(new)
    return len(new)


def public_holiday_add(*, location: Any, date: dt.date, name: str) -> PublicHoliday:
    """Add a company day off at a location (or for everyone without a location)."""
    if not name.strip():
        raise ValidationError({"name": "Name the day off."})
    holiday = PublicHoliday.objects.filter(location=location, date=date).first()
    if holiday is not None:
        if not holiday.removed:
            raise ValidationError({"date": "This day is already a holiday here."})
        holiday.removed = False
        holiday.name = name.strip()
        holiday.save(update_fields=["removed", "name"])
        return holiday
    return PublicHoliday.objects.create(
        location=location, date=date, name=name.strip(), source=HolidaySource.COMPANY
    )


def public_holiday_remove(*, holiday: PublicHoliday) -> None:
    """Make a holiday a working day: imported ones stay listed as removed, others go."""
    if holiday.source == HolidaySource.PACKAGE:
        holiday.removed = True
        holiday.save(update_fields=["removed"])
    else:
        holiday.delete()


# --- The ledger ----------------------------------------------------------------------------


def balance_for(*, employee: Employee, leave_type: LeaveType) -> Balance:
    """The person's balance of this leave type, created empty the first time."""
    try:
        with transaction.atomic():
            balance, _ = Balance.objects.get_or_create(employee=employee, leave_type=leave_type)
    except IntegrityError:  # created at the same moment by another request
        balance = Balance.objects.get(employee=employee, leave_type=leave_type)
    return balance


def _entry_add(
    balance: Balance,
    *,
    kind: str,
    amount: Decimal,
    effective_date: dt.date,
    description: str = "",
    request: TimeOffRequest | None = None,
    user: Any = None,
    key: str = "",
) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        balance=balance,
        kind=kind,
        amount=amount,
        effective_date=effective_date,
        description=description[:255],
        request=request,
        created_by=user if user is not None and user.is_authenticated else None,
        key=key,
    )
    Balance.objects.filter(pk=balance.pk).update(amount=F("amount") + amount)
    balance.amount += amount
    return entry


def _parse_amount(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Give a number, e.g. 1.5 or -2."}) from None
    if not value.is_finite() or value != quantize(value):
        raise ValidationError({field: "Give a number with at most two decimals."})
    return value


def balance_adjust(*, balance: Balance, amount: Any, reason: str, actor: Actor) -> LedgerEntry:
    """Add or take days by hand (HR), with the reason people will read in the ledger."""
    value = _parse_amount(amount, "amount")
    errors = {}
    if value == ZERO:
        errors["amount"] = "Give an amount other than 0."
    if not reason.strip():
        errors["reason"] = "Say why, so that the ledger explains the balance."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Balance.objects.select_for_update().get(pk=balance.pk)
        entry = _entry_add(
            locked,
            kind=EntryKind.ADJUSTMENT,
            amount=value,
            effective_date=timezone.localdate(),
            description=reason.strip(),
            user=actor.user,
        )
    balance.amount = locked.amount
    return entry


# --- Requests ------------------------------------------------------------------------------


@dataclass
class Quote:
    """What a request would cost and leave."""

    cost: Decimal
    unit: str
    balance: Decimal
    balance_after: Decimal
    limited: bool
    holidays: dict[dt.date, str]
    policy: Policy | None


def approver_for(employee: Employee) -> Employee | None:
    """The employee's manager when active, else None: HR approves."""
    manager = employee.manager
    if (
        manager is None
        or not manager.active
        or manager.deleted_at is not None
        or manager.pk == employee.pk
    ):
        return None
    return manager


def request_quote(
    *,
    employee: Employee,
    leave_type: LeaveType,
    start_date: dt.date,
    end_date: dt.date,
    starts_at_noon: bool = False,
    ends_at_noon: bool = False,
    hours: Decimal | None = None,
    balance_amount: Decimal | None = None,
) -> Quote:
    """Work out a request's cost in working days (or hours) and the balance after it.

    Raises ValidationError with a field dict for dates or hours that cannot be taken.
    """
    if end_date < start_date:
        raise ValidationError({"end_date": "The last day cannot be before the first day."})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": "Ask for at most a year at a time."})
    applied = applied_policy(employee=employee, leave_type=leave_type)
    policy, weekdays = applied.policy, applied.weekdays
    days_off = holidays_for(employee=employee, start=start_date, end=end_date)
    if leave_type.unit == Unit.HOURS:
        if hours is None or hours <= ZERO:
            raise ValidationError({"hours": "Give the number of hours."})
        per_day = policy.hours_per_day if policy else Decimal(8)
        counted = working_days(start_date, end_date, weekdays=weekdays, holidays=days_off)
        if not counted:
            raise ValidationError(
                {"start_date": "These are no working days (weekend or public holiday)."}
            )
        if hours > per_day * len(counted):
            raise ValidationError(
                {"hours": f"That is more than {per_day * len(counted)} working hours."}
            )
        cost = quantize(hours)
    else:
        if starts_at_noon and ends_at_noon and start_date == end_date:
            raise ValidationError(
                {"ends_at_noon": "For half of one day, choose either the morning or the afternoon."}
            )
        cost = day_cost(
            start_date,
            end_date,
            weekdays=weekdays,
            holidays=days_off,
            starts_at_noon=starts_at_noon,
            ends_at_noon=ends_at_noon,
        )
        if cost <= ZERO:
            raise ValidationError(
                {"start_date": "These are no working days (weekend or public holiday)."}
            )
    if balance_amount is None:
        balance_amount = (
            Balance.objects.filter(employee=employee, leave_type=leave_type)
            .values_list("amount", flat=True)
            .first()
        ) or ZERO
    return Quote(
        cost=cost,
        unit=leave_type.unit,
        balance=balance_amount,
        balance_after=balance_amount - cost,
        limited=policy is not None,
        holidays=days_off,
        policy=policy,
    )


def _unit_label(unit: str, amount: Decimal) -> str:
    word = "hour" if unit == Unit.HOURS else "day"
    return f"{amount.normalize():f} {word}{'' if amount == 1 else 's'}"


def _record(request: TimeOffRequest, actor: Actor, action: str, changes: dict) -> None:
    change_record(
        TimeOffRequestChange, subject=request, actor=actor, action=action, changes=changes
    )


def request_create(
    *,
    employee: Employee,
    leave_type: LeaveType,
    start_date: dt.date,
    end_date: dt.date,
    actor: Actor,
    starts_at_noon: bool = False,
    ends_at_noon: bool = False,
    hours: Decimal | None = None,
    note: str = "",
    attachment: Any = None,
) -> TimeOffRequest:
    """Ask for time off: refuse overlaps and a balance beyond the policy's limit, take the
    cost from the balance at once (given back if the request is denied or cancelled).

    The person's row stays locked until commit, so that two requests sent at the same
    moment are checked one after the other and cannot together overdraw the balance.

    `attachment` is an uploaded file (PDF, PNG or JPEG, up to 10 MB), required when the leave
    type needs one; it is stored only if the request is made, and removed if anything fails.
    """
    if employee.deleted_at is not None or not employee.active:
        raise ValidationError("Only active employees can ask for time off.")
    if leave_type.archived_at is not None:
        raise ValidationError({"leave_type": "This leave type is no longer offered."})
    if leave_type.needs_reason and not note.strip():
        raise ValidationError({"note": f"{leave_type.name} needs a note saying why."})
    checked = attachments.check_upload(attachment) if attachment is not None else None
    if leave_type.needs_attachment and checked is None:
        raise ValidationError({"attachment": attachments.REQUIRED.format(name=leave_type.name)})
    if leave_type.unit == Unit.DAYS:
        hours = None
    else:
        starts_at_noon = ends_at_noon = False
    balance = balance_for(employee=employee, leave_type=leave_type)
    stored = ""
    try:
        with transaction.atomic():
            locked_employee = (
                Employee.objects.select_for_update(of=("self",))
                .select_related("manager")
                .get(pk=employee.pk)
            )
            locked = Balance.objects.select_for_update().get(pk=balance.pk)
            quote = request_quote(
                employee=locked_employee,
                leave_type=leave_type,
                start_date=start_date,
                end_date=end_date,
                starts_at_noon=starts_at_noon,
                ends_at_noon=ends_at_noon,
                hours=hours,
                balance_amount=locked.amount,
            )
            overlap = (
                TimeOffRequest.objects.filter(
                    employee=locked_employee,
                    status__in=OPEN_STATUSES,
                    start_date__lte=end_date,
                    end_date__gte=start_date,
                )
                .select_related("leave_type")
                .first()
            )
            if overlap is not None:
                raise ValidationError(
                    {
                        "start_date": (
                            f"These dates overlap your {overlap.get_status_display().lower()} "
                            f"{overlap.leave_type.name.lower()} from "
                            f"{overlap.start_date:%d %b %Y} to {overlap.end_date:%d %b %Y}."
                        )
                    }
                )
            if quote.limited and quote.balance_after < -quote.policy.negative_limit:
                allowed = quote.balance + quote.policy.negative_limit
                raise ValidationError(
                    {
                        "end_date": (
                            f"This costs {_unit_label(quote.unit, quote.cost)} but your balance "
                            f"allows {_unit_label(quote.unit, max(allowed, ZERO))}."
                        )
                    }
                )
            request = TimeOffRequest(
                employee=locked_employee,
                leave_type=leave_type,
                start_date=start_date,
                end_date=end_date,
                starts_at_noon=starts_at_noon,
                ends_at_noon=ends_at_noon,
                hours=hours,
                amount=quote.cost,
                note=note.strip(),
                approver=approver_for(locked_employee),
            )
            if checked is not None:
                stored = attachments.store(checked)
                request.attachment = stored
                request.attachment_name = checked.name
                request.attachment_content_type = checked.content_type
            request.full_clean()
            request.save()
            _entry_add(
                locked,
                kind=EntryKind.TAKEN,
                amount=-quote.cost,
                effective_date=start_date,
                description=f"{leave_type.name} {start_date:%d %b} to {end_date:%d %b %Y}",
                request=request,
                user=actor.user,
            )
            _record(
                request,
                actor,
                RequestAction.REQUESTED,
                {
                    "start_date": [None, start_date.isoformat()],
                    "end_date": [None, end_date.isoformat()],
                    "amount": [None, str(quote.cost)],
                    **({"attachment": [None, checked.name]} if checked is not None else {}),
                },
            )
            if not leave_type.needs_approval:
                _decide(request, actor=actor, status=Status.APPROVED, comment="")
            else:
                from notifications.services import notify

                notify(
                    kind="time_off.submitted",
                    params={"request_id": request.pk},
                    key=f"time-off-request-{request.pk}-{request.approver_id or 'hr'}",
                )
    except BaseException:
        attachments.delete(stored)
        raise
    return request


def _decide(request: TimeOffRequest, *, actor: Actor, status: str, comment: str) -> None:
    request.status = status
    request.decided_by = actor.user if actor.user is not None else None
    request.decided_at = timezone.now()
    request.decision_comment = comment.strip()
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    )
    changes = {"status": [Status.PENDING.value, status]}
    if comment.strip():
        changes["comment"] = [None, comment.strip()]
    _record(
        request,
        actor,
        RequestAction.APPROVED if status == Status.APPROVED else RequestAction.DENIED,
        changes,
    )


def _locked_request(request: TimeOffRequest) -> TimeOffRequest:
    return (
        TimeOffRequest.objects.select_for_update(of=("self",))
        .select_related("employee", "leave_type")
        .get(pk=request.pk)
    )


def _give_back(request: TimeOffRequest, *, reason: str, user: Any) -> None:
    balance = Balance.objects.select_for_update().get(
        employee_id=request.employee_id, leave_type_id=request.leave_type_id
    )
    _entry_add(
        balance,
        kind=EntryKind.CANCELLATION,
        amount=request.amount,
        effective_date=request.start_date,
        description=reason,
        request=request,
        user=user,
    )


def request_decide(
    *, request: TimeOffRequest, approve: bool, comment: str = "", actor: Actor
) -> TimeOffRequest:
    """Approve or deny a pending request; a denial gives the days back."""
    from time_off.selectors import user_can_decide

    if actor.user is None or not user_can_decide(user=actor.user, request=request):
        raise PermissionDenied(
            "Only the approver or HR can decide, and never on their own request."
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Say why you deny the request."})
    with transaction.atomic():
        locked = _locked_request(request)
        if locked.status != Status.PENDING:
            raise ValidationError(f"This request is already {locked.get_status_display().lower()}.")
        status = Status.APPROVED if approve else Status.DENIED
        _decide(locked, actor=actor, status=status, comment=comment)
        if not approve:
            _give_back(locked, reason="Request denied", user=actor.user)
        from notifications.services import notify

        notify(
            kind="time_off.decided",
            params={"request_id": locked.pk},
            key=f"time-off-decided-{locked.pk}",
        )
    return locked


def user_can_cancel(*, user: Any, request: TimeOffRequest, today: dt.date) -> bool:
    """The person cancels their own request until it starts; after that, only the approver
    or HR (an approved absence in the past is part of the payroll record)."""
    if not request.is_open:
        return False
    from time_off.selectors import user_can_decide

    own = request.employee.user_id == user.pk
    if request.status == Status.PENDING or request.start_date > today:
        return own or user_can_decide(user=user, request=request) or is_hr_admin(user)
    return user_can_decide(user=user, request=request)


def request_cancel(
    *, request: TimeOffRequest, actor: Actor, reason: str = "", check: bool = True
) -> TimeOffRequest:
    """Cancel a pending or approved request and give its days back."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_request(request)
        if not locked.is_open:
            raise ValidationError(f"This request is already {locked.get_status_display().lower()}.")
        if check and (
            actor.user is None or not user_can_cancel(user=actor.user, request=locked, today=today)
        ):
            raise PermissionDenied("Only the approver or HR can cancel time off that has started.")
        old = locked.status
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        _give_back(locked, reason=reason or "Request cancelled", user=actor.user)
        changes: dict[str, Any] = {"status": [old, Status.CANCELLED.value]}
        if reason:
            changes["reason"] = [None, reason]
        _record(locked, actor, RequestAction.CANCELLED, changes)
    return locked


# --- Reactions to changes of the employee record --------------------------------------------


def requests_reassign(*, employee_ids: list[int], actor: Actor) -> int:
    """Give these people's pending requests to their current approver; return how many."""
    moved = 0
    pending = (
        TimeOffRequest.objects.select_for_update(of=("self",))
        .filter(employee_id__in=employee_ids, status=Status.PENDING)
        .select_related("employee__manager", "approver")
    )
    for request in pending:
        approver = approver_for(request.employee)
        if (approver.pk if approver else None) == request.approver_id:
            continue
        old = request.approver.user_name if request.approver else None
        request.approver = approver
        request.save(update_fields=["approver", "updated_at"])
        _record(
            request,
            actor,
            RequestAction.REASSIGNED,
            {"approver": [old, approver.user_name if approver else None]},
        )
        from notifications.services import notify

        notify(
            kind="time_off.submitted",
            params={"request_id": request.pk},
            key=f"time-off-request-{request.pk}-{request.approver_id or 'hr'}",
        )
        moved += 1
    return moved


def requests_close_for_leaver(*, employee: Employee, actor: Actor) -> int:
    """Cancel a leaver's pending requests and those after their last day (or today)."""
    cutoff = employee.end_date or timezone.localdate()
    cutoff = min(cutoff, timezone.localdate()) if not employee.active else cutoff
    closing = TimeOffRequest.objects.filter(employee=employee, status__in=OPEN_STATUSES).filter(
        Q(status=Status.PENDING) | Q(start_date__gt=cutoff)
    )
    count = 0
    for request in closing:
        request_cancel(request=request, actor=actor, reason="The employee left", check=False)
        count += 1
    return count


# --- The personal calendar feed ------------------------------------------------------------

FEED_PREFIX = CALENDAR_FEED_MARKER
FEED_LOOKUP_LENGTH = 12
FEED_ALPHABET = string.digits + string.ascii_letters


def _feed_digest(secret: str) -> str:
    key = hashlib.sha256(f"time-off-feed:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def feed_create(*, employee: Employee) -> str:
    """Make a new secret feed address for the person (the old one stops working); return
    the secret, shown once."""
    # Letters and digits only, so that log redaction (alexis.redaction) hides all of it.
    body = "".join(secrets.choice(FEED_ALPHABET) for _ in range(FEED_LOOKUP_LENGTH + 40))
    lookup = body[:FEED_LOOKUP_LENGTH]
    secret = f"{FEED_PREFIX}{body}"
    with transaction.atomic():
        CalendarFeed.objects.filter(employee=employee).delete()
        CalendarFeed.objects.create(
            employee=employee, prefix=lookup, digest=_feed_digest(secret), last_four=secret[-4:]
        )
    return secret


def feed_revoke(*, employee: Employee) -> bool:
    return CalendarFeed.objects.filter(employee=employee).delete()[0] > 0


def feed_authenticate(secret: str) -> Employee | None:
    """The person a feed secret belongs to, or None; compared in constant time."""
    if not secret.startswith(FEED_PREFIX):
        return None
    lookup = secret[len(FEED_PREFIX) : len(FEED_PREFIX) + FEED_LOOKUP_LENGTH]
    feed = CalendarFeed.objects.select_related("employee").filter(prefix=lookup).first()
    if feed is None or not hmac.compare_digest(feed.digest, _feed_digest(secret)):
        return None
    if feed.employee.deleted_at is not None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.employee
