"""`seed_demo` gives the demo time off: leave types, policies, holidays of its locations,
balances that equal their ledgers, and past, approved and pending requests (some waiting for
the demo owner and HR admin, who manage people)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from time_off.models import (
    Balance,
    LeaveType,
    Policy,
    PublicHoliday,
    Status,
    TimeOffRequest,
    TimeOffRequestChange,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _seed(count="300"):
    out = StringIO()
    call_command("seed_demo", "--employees", count, stdout=out)
    return out.getvalue()


def test_the_demo_has_time_off_to_show(client):
    output = _seed()

    assert "Added time off (leave types, policies, holidays, balances and" in output
    assert set(LeaveType.objects.values_list("name", flat=True)) == {
        "Vacation",
        "Sick leave",
        "Parental leave",
        "Unpaid leave",
    }
    assert Policy.objects.filter(carry_over_expiry_months=3).exists()
    assert Policy.objects.get(work_week="012").employment_type == "part_time"
    for name in ["Stockholm", "London", "Boston", "Berlin"]:
        assert PublicHoliday.objects.filter(
            location__name=name, date__year=2026, name__icontains="Christmas"
        ).exists(), name
    statuses = set(TimeOffRequest.objects.values_list("status", flat=True))
    assert statuses == {Status.APPROVED, Status.DENIED, Status.PENDING}
    assert TimeOffRequest.objects.filter(start_date__lt=dt.date(2026, 12, 2)).exists()
    assert TimeOffRequest.objects.filter(start_date__gt=dt.date(2026, 12, 2)).exists()
    assert TimeOffRequestChange.objects.count() > TimeOffRequest.objects.count()
    # Every balance is the sum of its ledger, within the policy's limit.
    for balance in Balance.objects.all():
        ledger = balance.entries.aggregate(total=Sum("amount"))["total"]
        assert balance.amount == ledger
        assert balance.amount >= -2
    # Nobody has two requests on the same day.
    for request in TimeOffRequest.objects.all()[:200]:
        assert (
            TimeOffRequest.objects.filter(
                employee=request.employee,
                start_date__lte=request.end_date,
                end_date__gte=request.start_date,
            ).count()
            == 1
        )

    for username in ["owner", "hr"]:
        user = get_user_model().objects.get(username=username)
        assert user.employee.direct_reports.exists()
        client.force_login(user)
        page = client.get("/time-off/team/").content.decode()
        assert "Nothing is waiting for you." not in page
        pending = TimeOffRequest.objects.filter(approver=user.employee, status=Status.PENDING)
        assert pending.exists()
        assert str(pending[0].public_id) in page


def test_a_second_run_adds_no_time_off():
    _seed("50")
    requests = TimeOffRequest.objects.count()
    output = StringIO()
    call_command("seed_demo", "--employees", "0", stdout=output)
    assert TimeOffRequest.objects.count() == requests
    assert LeaveType.objects.count() == 4
