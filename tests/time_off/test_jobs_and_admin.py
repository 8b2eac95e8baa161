"""Leavers' requests close after their end date; hourly types; HR is told when there is no
manager; the Django admin shows balances with their ledger and requests with their history."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from audit.actor import Actor
from audit.models import Channel
from employees.models import Employee
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from time_off.models import Balance, LeaveType, Status, Unit
from time_off.services import request_create, request_quote
from time_off.tasks import close_leavers_time_off

pytestmark = pytest.mark.django_db


def test_requests_after_an_end_date_that_passed_are_cancelled(worker, vacation, worker_actor):
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        before = request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 7),
            end_date=dt.date(2026, 12, 7),
            actor=worker_actor,
        )
        after = request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 21),
            end_date=dt.date(2026, 12, 22),
            actor=worker_actor,
        )
    Employee.objects.filter(pk=worker.pk).update(end_date=dt.date(2026, 12, 11))
    with time_machine.travel(dt.datetime(2026, 12, 12, 9, 0, tzinfo=dt.UTC), tick=False):
        assert close_leavers_time_off.call() == 2  # the pending one before, the one after
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.status, after.status) == (Status.CANCELLED, Status.CANCELLED)
    assert Balance.objects.get(employee=worker).amount == Decimal("0")


def test_hourly_types_cost_the_hours_given(worker):
    overtime = LeaveType.objects.create(name="Time in lieu", unit=Unit.HOURS)
    quote = request_quote(
        employee=worker,
        leave_type=overtime,
        start_date=dt.date(2026, 12, 8),
        end_date=dt.date(2026, 12, 8),
        hours=Decimal("3.5"),
    )
    assert quote.cost == Decimal("3.50")
    with pytest.raises(ValidationError) as error:
        request_quote(
            employee=worker,
            leave_type=overtime,
            start_date=dt.date(2026, 12, 8),
            end_date=dt.date(2026, 12, 8),
            hours=Decimal("9"),
        )
    assert error.value.message_dict == {"hours": ["That is more than 8 working hours."]}


def test_without_a_manager_hr_admins_are_told(vacation, django_capture_on_commit_callbacks):
    HRAdminFactory(username="hr.one", email="hr.one@contoso.com")
    OwnerFactory(username="owner.one", email="owner.one@contoso.com")
    user = UserFactory(username="solo@contoso.com", email="solo@contoso.com")
    solo = EmployeeFactory(user=user, user_name=user.username)
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(
            employee=solo,
            leave_type=vacation,
            start_date=dt.date(2030, 3, 4),
            end_date=dt.date(2030, 3, 4),
            actor=Actor(channel=Channel.WEB, user=user),
        )
    assert request.approver is None
    assert sorted(m.to[0] for m in mail.outbox) == ["hr.one@contoso.com", "owner.one@contoso.com"]


def test_admin_shows_ledger_and_history(client, worker, vacation, worker_actor):
    request = request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2030, 3, 4),
        end_date=dt.date(2030, 3, 5),
        actor=worker_actor,
    )
    staff = OwnerFactory(username="staff.owner", is_staff=True, is_superuser=True)
    client.force_login(staff)
    balance = Balance.objects.get(employee=worker)
    page = client.get(f"/admin/time_off/balance/{balance.pk}/change/").content.decode()
    assert "Vacation 04 Mar to 05 Mar 2030" in page
    page = client.get(f"/admin/time_off/timeoffrequest/{request.pk}/change/").content.decode()
    assert "Requested" in page
    assert client.get("/admin/time_off/timeoffrequest/").status_code == 200
    assert client.get("/admin/time_off/timeoffrequest/add/").status_code == 403


def test_admin_edits_when_carried_over_days_expire(client, policy):
    client.force_login(OwnerFactory(username="staff.owner", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/time_off/policy/{policy.pk}/change/").content.decode()
    assert "Carried-over days expire after (months)" in page
    assert 'name="carry_over_expiry_months"' in page
