"""The daily accrual: up front or monthly, prorated by start and end dates, once per period,
and the carry-over limit at a new leave year."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.factories import EmployeeFactory
from time_off.accrual import accrue
from time_off.calendar import accrual_periods
from time_off.models import Accrual, Balance, EntryKind, LeaveType, LedgerEntry

pytestmark = pytest.mark.django_db


def test_up_front_allowance_is_prorated_from_the_start_date(policy):
    joiner = EmployeeFactory(start_date=dt.date(2026, 7, 1))
    full = EmployeeFactory(start_date=dt.date(2019, 3, 1))

    assert accrue(today=dt.date(2026, 7, 1)) == 2
    assert accrue(today=dt.date(2026, 7, 2)) == 0  # a second run adds nothing

    assert Balance.objects.get(employee=full).amount == Decimal("25")
    # 184 of 365 days.
    assert Balance.objects.get(employee=joiner).amount == Decimal("12.60")


def test_monthly_accrual_adds_a_twelfth_each_month(policy):
    policy.accrual = Accrual.MONTHLY
    policy.yearly_allowance = Decimal("24")
    policy.save()
    person = EmployeeFactory(start_date=dt.date(2026, 3, 16))

    accrue(today=dt.date(2026, 5, 20))

    balance = Balance.objects.get(employee=person)
    amounts = list(balance.entries.order_by("effective_date").values_list("amount", flat=True))
    # March from the 16th: 16 of 31 days of 2 days.
    assert amounts == [Decimal("1.03"), Decimal("2"), Decimal("2")]
    assert balance.amount == sum(amounts)
    assert balance.accrued_until == dt.date(2026, 5, 1)


def test_what_exceeds_the_carry_over_limit_expires_at_the_new_year(policy):
    person = EmployeeFactory(start_date=dt.date(2020, 1, 1))
    accrue(today=dt.date(2026, 6, 1))

    accrue(today=dt.date(2027, 1, 1))

    balance = Balance.objects.get(employee=person)
    expiry = LedgerEntry.objects.get(balance=balance, kind=EntryKind.EXPIRY)
    assert expiry.amount == Decimal("-20")
    assert balance.amount == Decimal("30")  # 5 carried over + 25 for 2027


def test_an_end_date_prorates_the_year():
    periods = accrual_periods(
        accrual=Accrual.UP_FRONT,
        allowance=Decimal("25"),
        reset_month=1,
        start_date=None,
        end_date=dt.date(2026, 6, 30),
        after=None,
        until=dt.date(2026, 1, 1),
    )
    assert [period.amount for period in periods] == [Decimal("12.40")]


def test_balances_between_others_are_each_moved_by_their_own_amount(policy):
    sick = LeaveType.objects.create(name="Sick leave")
    full = [EmployeeFactory(start_date=dt.date(2019, 1, 1)) for _ in range(3)]
    joiner = EmployeeFactory(start_date=dt.date(2026, 7, 1))
    # A balance of a type without a policy sits between them and must not move.
    Balance.objects.create(employee=full[0], leave_type=policy.leave_type)
    untouched = Balance.objects.create(employee=full[1], leave_type=sick)
    for person in full[1:]:
        Balance.objects.create(employee=person, leave_type=policy.leave_type)

    accrue(today=dt.date(2026, 7, 1))

    amounts = {
        balance.employee_id: balance.amount
        for balance in Balance.objects.filter(leave_type=policy.leave_type)
    }
    assert amounts == {
        **{person.pk: Decimal("25") for person in full},
        joiner.pk: Decimal("12.60"),
    }
    untouched.refresh_from_db()
    assert untouched.amount == Decimal("0")


def _carried_over(policy, months=3):
    """A person who carries 5 days into 2027, whose carry-over expires after `months`."""
    policy.carry_over_expiry_months = months
    policy.save()
    person = EmployeeFactory(start_date=dt.date(2020, 1, 1))
    accrue(today=dt.date(2026, 6, 1))
    accrue(today=dt.date(2027, 1, 1))
    return person, Balance.objects.get(employee=person, leave_type=policy.leave_type)


def _take(person, leave_type, start, end):
    from audit.actor import Actor
    from audit.models import Channel
    from time_off.services import request_create

    return request_create(
        employee=person,
        leave_type=leave_type,
        start_date=start,
        end_date=end,
        actor=Actor(channel=Channel.WEB, user=None),
    )


def test_unused_carry_over_expires_after_the_policy_s_months_once(policy):
    person, balance = _carried_over(policy, months=3)
    # Two days before 1 April use up the carry-over first; a day after it does not.
    _take(person, policy.leave_type, dt.date(2027, 2, 1), dt.date(2027, 2, 2))
    _take(person, policy.leave_type, dt.date(2027, 4, 5), dt.date(2027, 4, 5))

    assert accrue(today=dt.date(2027, 3, 31)) == 0
    assert accrue(today=dt.date(2027, 4, 1)) == 1
    assert accrue(today=dt.date(2027, 4, 2)) == 0  # a second run adds nothing

    expiry = LedgerEntry.objects.get(balance=balance, key="expiry:2027-01-01")
    assert (expiry.kind, expiry.amount, expiry.effective_date) == (
        EntryKind.EXPIRY,
        Decimal("-3"),
        dt.date(2027, 4, 1),
    )
    assert expiry.description == "Carry-over not used by 1 Apr 2027 (5 carried over, 2 used)"
    balance.refresh_from_db()
    assert balance.amount == Decimal("24")  # 5 + 25 - 2 - 1 - 3
    assert balance.amount == sum(balance.entries.values_list("amount", flat=True))


def test_a_carry_over_used_up_before_the_date_leaves_nothing_to_expire(policy):
    person, _ = _carried_over(policy)
    _take(person, policy.leave_type, dt.date(2027, 1, 11), dt.date(2027, 1, 19))  # 7 days

    assert accrue(today=dt.date(2027, 4, 1)) == 0
    assert not LedgerEntry.objects.filter(key__startswith="expiry:").exists()


def test_without_months_carried_over_days_never_expire(policy):
    _, balance = _carried_over(policy, months=None)

    assert accrue(today=dt.date(2027, 12, 31)) == 0
    balance.refresh_from_db()
    assert balance.amount == Decimal("30")


def test_an_expiry_never_takes_a_balance_below_zero(policy, hr_admin):
    from audit.actor import Actor
    from audit.models import Channel
    from time_off.services import balance_adjust

    _, balance = _carried_over(policy)
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        balance_adjust(
            balance=balance,
            amount="-28",
            reason="Paid out",
            actor=Actor(channel=Channel.WEB, user=hr_admin),
        )

    accrue(today=dt.date(2027, 4, 1))

    balance.refresh_from_db()
    assert balance.amount == Decimal("0")
    assert LedgerEntry.objects.get(kind=EntryKind.EXPIRY, key__startswith="expiry:").amount == (
        Decimal("-2")
    )


def test_only_balances_of_the_expiring_policy_move(policy):
    other = LeaveType.objects.create(name="Study leave")
    other_policy = type(policy).objects.create(
        name="Study", leave_type=other, yearly_allowance=Decimal("10"), carry_over_limit=10
    )
    person, balance = _carried_over(policy)
    study = Balance.objects.get(employee=person, leave_type=other)
    before = study.amount

    accrue(today=dt.date(2027, 4, 1))

    study.refresh_from_db()
    assert study.amount == before
    assert other_policy.carry_over_expiry_months is None
    balance.refresh_from_db()
    assert balance.amount == Decimal("25")
