"""Requests: cost in working days, refusals, approvals, cancellations, and the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.actor import Actor
from audit.models import Channel
from time_off.accrual import accrue
from time_off.models import Balance, EntryKind, LedgerEntry, Status, TimeOffRequestChange
from time_off.services import (
    balance_adjust,
    request_cancel,
    request_create,
    request_decide,
    request_quote,
)

pytestmark = pytest.mark.django_db

# Wednesday 23 to Friday 25 December 2026; 24 December is a holiday at Stockholm.
WED, FRI = dt.date(2026, 12, 23), dt.date(2026, 12, 25)


def ledger_sum(balance):
    return sum(LedgerEntry.objects.filter(balance=balance).values_list("amount", flat=True))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def funded(worker, policy):
    accrue(today=dt.date(2026, 12, 2))
    return Balance.objects.get(employee=worker)


def test_three_days_across_a_public_holiday_cost_two(worker, vacation, policy, funded):
    quote = request_quote(employee=worker, leave_type=vacation, start_date=WED, end_date=FRI)

    assert quote.cost == Decimal("2")
    assert quote.balance == Decimal("25.00")
    assert quote.balance_after == Decimal("23.00")
    assert list(quote.holidays.values()) == ["Christmas Eve"]


def test_weekends_and_half_days_are_counted(worker, vacation, policy):
    # Friday 4 from noon to Monday 7 until noon: half + half, the weekend costs nothing.
    quote = request_quote(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 12, 4),
        end_date=dt.date(2026, 12, 7),
        starts_at_noon=True,
        ends_at_noon=True,
    )
    assert quote.cost == Decimal("1")


def test_a_weekend_alone_is_refused(worker, vacation, policy):
    with pytest.raises(ValidationError) as error:
        request_quote(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 5),
            end_date=dt.date(2026, 12, 6),
        )
    assert error.value.message_dict == {
        "start_date": ["These are no working days (weekend or public holiday)."]
    }


def test_request_takes_days_and_records_history_and_tells_the_manager(
    worker, vacation, funded, worker_actor, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(
            employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
        )

    funded.refresh_from_db()
    assert (request.status, request.amount, request.approver) == (
        Status.PENDING,
        Decimal("2"),
        manager_user.employee,
    )
    assert funded.amount == Decimal("23.00") == ledger_sum(funded)
    change = TimeOffRequestChange.objects.get(request=request)
    assert (change.action, change.channel, change.actor_user) == (
        "requested",
        Channel.WEB,
        worker.user,
    )
    assert [message.to for message in mail.outbox] == [[manager_user.email]]
    assert "/time-off/requests/" in mail.outbox[0].body


def test_overlap_is_refused_with_the_dates(worker, vacation, funded, worker_actor):
    request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    with pytest.raises(ValidationError) as error:
        request_create(
            employee=worker,
            leave_type=vacation,
            start_date=FRI,
            end_date=FRI + dt.timedelta(days=3),
            actor=worker_actor,
        )
    assert error.value.message_dict == {
        "start_date": ["These dates overlap your pending vacation from 23 Dec 2026 to 25 Dec 2026."]
    }


def test_beyond_the_balance_is_refused(worker, vacation, funded, worker_actor):
    with pytest.raises(ValidationError) as error:
        request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 1),
            end_date=dt.date(2027, 1, 31),
            actor=worker_actor,
        )
    assert error.value.message_dict == {
        "end_date": ["This costs 43 days but your balance allows 25 days."]
    }
    assert Balance.objects.get(pk=funded.pk).amount == Decimal("25")


def test_negative_limit_lets_the_balance_go_below_zero(worker, vacation, policy, worker_actor):
    policy.negative_limit = Decimal("2")
    policy.save()
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    assert Balance.objects.get(employee=worker).amount == Decimal("-2")
    with pytest.raises(ValidationError):
        request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 28),
            end_date=dt.date(2026, 12, 28),
            actor=worker_actor,
        )
    assert request.amount == Decimal("2")


def test_manager_approves_and_the_person_is_told(
    worker, vacation, funded, worker_actor, manager_actor, django_capture_on_commit_callbacks
):
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )

    with django_capture_on_commit_callbacks(execute=True):
        decided = request_decide(
            request=request, approve=True, comment="Enjoy", actor=manager_actor
        )

    assert decided.status == Status.APPROVED
    assert [message.to for message in mail.outbox] == [[worker.user.email]]
    assert mail.outbox[0].subject.endswith("Your vacation is approved")


def test_nobody_approves_their_own_request(worker, vacation, funded, worker_actor):
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    with pytest.raises(PermissionDenied):
        request_decide(request=request, approve=True, actor=worker_actor)


def test_hr_approves_own_request_of_no_one_but_others(
    worker, vacation, funded, worker_actor, hr_admin
):
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    hr = Actor(channel=Channel.WEB, user=hr_admin)
    assert request_decide(request=request, approve=True, actor=hr).status == Status.APPROVED


def test_denial_needs_a_comment_and_gives_the_days_back(
    worker, vacation, funded, worker_actor, manager_actor
):
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    with pytest.raises(ValidationError):
        request_decide(request=request, approve=False, actor=manager_actor)
    request_decide(request=request, approve=False, comment="Busy week", actor=manager_actor)

    funded.refresh_from_db()
    assert funded.amount == Decimal("25") == ledger_sum(funded)
    kinds = list(LedgerEntry.objects.filter(balance=funded).values_list("kind", flat=True))
    assert kinds == [EntryKind.ACCRUAL, EntryKind.TAKEN, EntryKind.CANCELLATION]


def test_cancelling_a_future_request_returns_the_days(
    worker, vacation, funded, worker_actor, manager_actor
):
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    request_decide(request=request, approve=True, actor=manager_actor)

    request_cancel(request=request, actor=worker_actor)

    assert Balance.objects.get(pk=funded.pk).amount == Decimal("25")


def test_an_approved_request_in_the_past_is_cancelled_only_by_the_manager(
    worker, vacation, funded, worker_actor, manager_actor
):
    request = request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 1),
        actor=worker_actor,
    )
    request_decide(request=request, approve=True, actor=manager_actor)

    with pytest.raises(PermissionDenied):
        request_cancel(request=request, actor=worker_actor)
    assert request_cancel(request=request, actor=manager_actor).status == Status.CANCELLED


def test_hr_adjusts_with_a_reason(funded, hr_admin):
    hr = Actor(channel=Channel.WEB, user=hr_admin)
    with pytest.raises(ValidationError) as error:
        balance_adjust(balance=funded, amount="1.555", reason="", actor=hr)
    assert set(error.value.message_dict) == {"amount"}
    with pytest.raises(ValidationError) as error:
        balance_adjust(balance=funded, amount="2", reason=" ", actor=hr)
    assert set(error.value.message_dict) == {"reason"}

    entry = balance_adjust(balance=funded, amount="-1.5", reason="Moved day", actor=hr)

    assert (entry.kind, entry.amount, entry.created_by) == (
        EntryKind.ADJUSTMENT,
        Decimal("-1.5"),
        hr_admin,
    )
    assert Balance.objects.get(pk=funded.pk).amount == Decimal("23.5")


def test_a_type_without_approval_is_approved_at_once(worker, vacation, funded, worker_actor):
    vacation.needs_approval = False
    vacation.save()
    request = request_create(
        employee=worker, leave_type=vacation, start_date=WED, end_date=FRI, actor=worker_actor
    )
    assert request.status == Status.APPROVED
