"""The daily accrual: up front or monthly, prorated by start and end dates, once per period,
and the carry-over limit at a new leave year."""

import datetime as dt
from decimal import Decimal

import pytest

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
