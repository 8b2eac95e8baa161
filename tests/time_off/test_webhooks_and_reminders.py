"""Time off events reach webhook endpoints, and approvers are reminded of waiting requests."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from standardwebhooks import Webhook

from time_off.services import request_cancel, request_create, request_decide
from time_off.tasks import remind_pending_time_off
from webhooks.events import EVENT_TYPES
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


def test_time_off_event_types_are_offered():
    assert {
        "time_off.requested",
        "time_off.approved",
        "time_off.denied",
        "time_off.cancelled",
    } <= set(EVENT_TYPES)


def test_request_approval_and_cancellation_are_delivered(
    receiver,
    owner,
    worker,
    vacation,
    worker_actor,
    manager_actor,
    django_capture_on_commit_callbacks,
):
    created = webhook_endpoint_create(
        url=receiver.url,
        events=["time_off.requested", "time_off.approved", "time_off.cancelled"],
        created_by=owner,
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2030, 3, 4),
            end_date=dt.date(2030, 3, 5),
            actor=worker_actor,
        )
    with django_capture_on_commit_callbacks(execute=True):
        request = request_decide(request=request, approve=True, actor=manager_actor)
    with django_capture_on_commit_callbacks(execute=True):
        request_cancel(request=request, actor=worker_actor)

    payloads = [Webhook(created.secret).verify(r.body, r.headers) for r in receiver.received]
    assert [payload["type"] for payload in payloads] == [
        "time_off.requested",
        "time_off.approved",
        "time_off.cancelled",
    ]
    last = payloads[-1]["data"]
    assert last["object"]["id"] == str(request.public_id)
    assert last["object"]["status"] == "cancelled"
    assert last["object"]["employee_user_name"] == "will.worker@contoso.com"
    assert last["changes"] == {"status": {"old": "approved", "new": "cancelled"}}
    assert last["channel"] == "web"


def test_approvers_are_reminded_once_after_three_working_days(
    worker, vacation, worker_actor, manager_user, django_capture_on_commit_callbacks
):
    # Requested on Thursday 3 December 2026.
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2027, 1, 11),
            end_date=dt.date(2027, 1, 11),
            actor=worker_actor,
        )
    mail.outbox.clear()
    # Tuesday 8: Friday, Monday and Tuesday are three working days, not more.
    with (
        time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert remind_pending_time_off.call() == 0
    with time_machine.travel(dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_pending_time_off.call() == 1
        with django_capture_on_commit_callbacks(execute=True):
            remind_pending_time_off.call()
    assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject]
    assert mail.outbox[0].to == [manager_user.email]
    assert "Still waiting: time off for Will Worker" in mail.outbox[0].subject
