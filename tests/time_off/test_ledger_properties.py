"""Property: whatever happens to a balance (accruals, requests, cancellations, adjustments,
policy changes, carry-overs that expire), it equals the sum of its ledger and never passes
the policy's limit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.actor import Actor
from audit.models import Channel
from tests.factories import EmployeeFactory, HRAdminFactory
from time_off.models import (
    Accrual,
    Balance,
    EntryKind,
    LeaveType,
    LedgerEntry,
    Policy,
    Status,
)
from time_off.services import balance_adjust, request_cancel, request_create

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 1, 4)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("request"), st.integers(0, 60), st.integers(0, 9), st.booleans()),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(
            st.just("adjust"),
            st.decimals(min_value=-10, max_value=10, places=2, allow_nan=False),
        ),
        st.tuples(st.just("limit"), st.decimals(min_value=0, max_value=5, places=1)),
        # The daily job on a later day: past the expiry date, the unused carry-over expires.
        st.tuples(st.just("accrue"), st.integers(0, 150)),
    ),
    max_size=25,
)


class Run(Exception):
    """Rolls one example back so that the next starts from an empty ledger."""


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    allowance=st.decimals(min_value=0, max_value=30, places=1),
    carry_over=st.decimals(min_value=0, max_value=10, places=1),
    expiry_months=st.one_of(st.none(), st.integers(1, 4)),
    actions=steps,
)
def test_balance_is_the_sum_of_its_ledger_and_within_the_limit(
    db, allowance, carry_over, expiry_months, actions
):
    try:
        with transaction.atomic():
            _run(allowance, carry_over, expiry_months, actions)
            raise Run
    except Run:
        pass


def _run(allowance, carry_over, expiry_months, actions):
    leave_type = LeaveType.objects.create(name="Vacation")
    policy = Policy.objects.create(
        name="Vacation policy",
        leave_type=leave_type,
        yearly_allowance=allowance,
        accrual=Accrual.UP_FRONT,
        carry_over_limit=carry_over,
        carry_over_expiry_months=expiry_months,
    )
    hr = HRAdminFactory(username="hr.property")
    person = EmployeeFactory(start_date=dt.date(2020, 1, 1))
    actor = Actor(channel=Channel.WEB, user=hr)
    from time_off.accrual import accrue

    # A year before, so that some of it carries over into the year of the requests.
    accrue(today=dt.date(2026, 6, 1))
    accrue(today=MONDAY)
    balance = Balance.objects.get(employee=person)
    made = []
    day = MONDAY
    for action in actions:
        accepted = False
        before = Balance.objects.get(pk=balance.pk).amount
        if action[0] == "request":
            _, offset, length, half = action
            start = MONDAY + dt.timedelta(days=offset)
            try:
                made.append(
                    request_create(
                        employee=person,
                        leave_type=leave_type,
                        start_date=start,
                        end_date=start + dt.timedelta(days=length),
                        starts_at_noon=half,
                        actor=actor,
                    )
                )
                accepted = True
            except ValidationError:
                pass
        elif action[0] == "cancel" and made:
            request = made[action[1] % len(made)]
            request.refresh_from_db()
            if request.status in (Status.PENDING, Status.APPROVED):
                request_cancel(request=request, actor=actor)
        elif action[0] == "adjust" and action[1] != 0:
            balance_adjust(balance=balance, amount=str(action[1]), reason="Correction", actor=actor)
        elif action[0] == "limit":
            policy.negative_limit = action[1]
            policy.save()
        elif action[0] == "accrue":
            day = max(day, MONDAY + dt.timedelta(days=action[1]))
            accrue(today=day)
        balance.refresh_from_db()
        ledger = sum(
            LedgerEntry.objects.filter(balance=balance).values_list("amount", flat=True),
            Decimal(0),
        )
        assert isinstance(balance.amount, Decimal)
        assert balance.amount == ledger
        # A request is accepted only if it leaves the balance within the policy's limit.
        if accepted:
            assert balance.amount >= -policy.negative_limit
        if action[0] == "accrue":
            # An expiry takes at most what is left of the carry-over, never below zero.
            assert balance.amount >= min(before, Decimal(0))
            assert before - balance.amount <= carry_over
            expiries = LedgerEntry.objects.filter(balance=balance, kind=EntryKind.EXPIRY)
            assert expiries.filter(key__startswith="expiry:").count() <= 1
