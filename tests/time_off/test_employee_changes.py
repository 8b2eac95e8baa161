"""Changes of the employee record move or close requests: a new manager (SCIM PATCH or HR),
an inactive manager (HR approves), and a person who leaves."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from audit.actor import Actor
from audit.models import Channel
from employees.services import employee_deactivate, employee_update
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, Scim
from time_off.models import Balance, RequestAction, Status, TimeOffRequestChange
from time_off.services import request_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def pending(worker, vacation, worker_actor):
    return request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 12, 14),
        end_date=dt.date(2026, 12, 15),
        actor=worker_actor,
    )


def test_scim_patch_of_the_manager_moves_pending_requests(scim_client, worker, pending, scim_token):
    scim = Scim(scim_client)
    new_manager = EmployeeFactory(user_name="nina.new@contoso.com")

    response = scim.patch_ops(
        worker.public_id,
        {"op": "Replace", "path": f"{ENT}:manager", "value": str(new_manager.public_id)},
    )

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.approver == new_manager
    change = TimeOffRequestChange.objects.get(request=pending, action=RequestAction.REASSIGNED)
    assert (change.channel, change.actor_token, change.changes) == (
        Channel.SCIM,
        scim_token.token,
        {"approver": ["maria.manager@contoso.com", "nina.new@contoso.com"]},
    )


def test_an_inactive_manager_hands_requests_to_hr(pending, manager_user, hr_admin):
    employee_deactivate(
        employee=manager_user.employee, actor=Actor(channel=Channel.WEB, user=hr_admin)
    )

    pending.refresh_from_db()
    assert pending.approver is None
    assert pending.status == Status.PENDING


def test_decided_requests_keep_their_approver(pending, worker, manager_actor, hr_admin):
    from time_off.services import request_decide

    request_decide(request=pending, approve=True, actor=manager_actor)
    employee_update(
        employee=worker, actor=Actor(channel=Channel.WEB, user=hr_admin), data={"manager": None}
    )
    pending.refresh_from_db()
    assert pending.approver is not None


def test_deactivation_cancels_future_and_pending_requests_and_returns_days(
    worker, vacation, pending, worker_actor, hr_admin
):
    past = request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 11, 30),
        end_date=dt.date(2026, 11, 30),
        actor=worker_actor,
    )
    from time_off.services import request_decide

    past = request_decide(
        request=past, approve=True, actor=Actor(channel=Channel.WEB, user=hr_admin)
    )

    employee_deactivate(employee=worker, actor=Actor(channel=Channel.SCIM))

    pending.refresh_from_db()
    past.refresh_from_db()
    assert (pending.status, past.status) == (Status.CANCELLED, Status.APPROVED)
    change = TimeOffRequestChange.objects.get(request=pending, action=RequestAction.CANCELLED)
    assert change.channel == Channel.SCIM
    assert change.changes["reason"] == [None, "The employee left"]
    assert Balance.objects.get(employee=worker).amount == Decimal("-1")
