"""Doing the work: completing tasks, completing and cancelling checklists, webhooks, digests."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from audit.actor import Actor
from checklists.models import AssigneeRole, ChecklistKind, ChecklistStatus, ChecklistTask
from checklists.selectors import digest_user_ids, my_tasks
from checklists.services import checklist_cancel, checklist_task_complete
from checklists.tasks import checklist_digest
from employees.models import Channel
from employees.services import employee_create
from notifications.models import Notification
from tests.factories import EmployeeFactory, UserFactory
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_user(db):
    user = UserFactory(username="mia.manager@contoso.com", email="mia@contoso.com")
    EmployeeFactory(user=user, user_name=user.username)
    return user


@pytest.fixture
def onboarding(make_template, web_actor, manager_user, django_capture_on_commit_callbacks):
    make_template(
        tasks=[
            ("Plan the first week", AssigneeRole.MANAGER, -3),
            ("Book a welcome lunch", AssigneeRole.MANAGER, 0),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        employee = employee_create(
            actor=web_actor,
            user_name="new.joiner@contoso.com",
            given_name="New",
            family_name="Joiner",
            work_email="new.joiner@contoso.com",
            manager=manager_user.employee,
            start_date=timezone.localdate() + dt.timedelta(days=1),
        )
    return employee.checklists.get()


def test_the_manager_is_told_once_and_sees_their_tasks_due_soonest_first(onboarding, manager_user):
    assert [n.title for n in Notification.objects.filter(recipient=manager_user)] == [
        "onboarding template for New Joiner: tasks for you"
    ]
    assert len(mail.outbox) == 1
    tasks, total = my_tasks(user=manager_user)
    assert ([t.title for t in tasks], total) == (
        ["Plan the first week", "Book a welcome lunch"],
        2,
    )


def test_completing_every_task_completes_the_checklist_and_sends_webhooks(
    onboarding, manager_user, owner, receiver, django_capture_on_commit_callbacks
):
    webhook_endpoint_create(
        url=receiver.url,
        events=["task.completed", "checklist.completed"],
        created_by=owner,
    )
    actor = Actor(channel=Channel.WEB, user=manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        for task in onboarding.tasks.order_by("due_date"):
            checklist_task_complete(task=task, actor=actor)
            checklist_task_complete(task=task, actor=actor)  # twice: no change

    onboarding.refresh_from_db()
    assert (onboarding.status, onboarding.done_count) == (ChecklistStatus.COMPLETED, 2)
    types = [json.loads(r.body)["type"] for r in receiver.received]
    assert sorted(types) == ["checklist.completed", "task.completed", "task.completed"]
    completed = next(
        json.loads(r.body) for r in receiver.received if b"checklist.completed" in r.body
    )
    assert completed["data"]["object"]["id"] == str(onboarding.public_id)
    assert completed["data"]["object"]["status"] == "completed"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SUCCEEDED
    }


def test_someone_else_cannot_complete_the_manager_task(onboarding):
    from django.core.exceptions import PermissionDenied

    stranger = UserFactory()
    EmployeeFactory(user=stranger)
    task = onboarding.tasks.first()
    with pytest.raises(PermissionDenied):
        checklist_task_complete(task=task, actor=Actor(channel=Channel.WEB, user=stranger))
    assert ChecklistTask.objects.get(pk=task.pk).completed_at is None


def test_cancel_needs_a_reason_and_closes_the_open_tasks(onboarding, web_actor, manager_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        checklist_cancel(checklist=onboarding, reason="  ", actor=web_actor)
    checklist_cancel(checklist=onboarding, reason="Offer withdrawn", actor=web_actor)
    onboarding.refresh_from_db()
    assert (onboarding.status, onboarding.cancel_reason) == (
        ChecklistStatus.CANCELLED,
        "Offer withdrawn",
    )
    assert my_tasks(user=manager_user) == ([], 0)


def test_daily_digest_sends_one_message_per_person_listing_tomorrow_and_overdue(
    onboarding, manager_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    # One task overdue, one due tomorrow.
    task = onboarding.tasks.get(title="Plan the first week")
    task.due_date = timezone.localdate() - dt.timedelta(days=2)
    task.save()
    assert digest_user_ids(today=timezone.localdate()) == [manager_user.pk]

    with django_capture_on_commit_callbacks(execute=True):
        checklist_digest.call()
        checklist_digest.call()  # the job runs twice: nobody is told twice

    digests = Notification.objects.filter(recipient=manager_user, kind="checklists.digest")
    assert [n.title for n in digests] == ["Your checklist tasks: 1 due tomorrow, 1 overdue"]
    body = digests.get().body
    assert "Due tomorrow:\n- Book a welcome lunch" in body
    assert "Overdue:\n- Plan the first week" in body
    assert len(mail.outbox) == 1


def test_kinds_of_checklist_label_their_tasks_due_dates():
    from checklists.templatetags.checklists import due_rule

    assert due_rule(-10, ChecklistKind.ONBOARDING) == "10 days before the start date"
    assert due_rule(0, ChecklistKind.OFFBOARDING) == "On the end date"
    assert due_rule(1, ChecklistKind.ROLE_CHANGE) == "1 day after the day of the change"
