"""With the production (database) task backend, a worker sends what the request queued."""

import json

import pytest
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from audit.actor import Actor
from audit.models import Channel
from employees.services import employee_update
from tests.factories import EmployeeFactory
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def _work() -> None:
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_the_task_commits_with_the_change_and_the_worker_delivers_it(
    database_tasks, receiver, owner
):
    webhook_endpoint_create(url=receiver.url, events=["employee.updated"], created_by=owner)
    employee = EmployeeFactory(title="Engineer")

    with transaction.atomic():
        employee_update(employee=employee, actor=Actor(channel=Channel.SCIM), data={"title": "CTO"})
        assert receiver.received == []  # nothing leaves before the commit
    with pytest.raises(RuntimeError), transaction.atomic():
        employee_update(employee=employee, actor=Actor(channel=Channel.SCIM), data={"title": "X"})
        raise RuntimeError  # a rolled-back change queues nothing

    assert DBTaskResult.objects.count() == 1
    _work()

    assert [json.loads(r.body)["data"]["changes"]["title"] for r in receiver.received] == [
        {"old": "Engineer", "new": "CTO"}
    ]


def test_a_failed_attempt_is_queued_to_run_later(database_tasks, receiver, owner):
    webhook_endpoint_create(url=receiver.url, events=["employee.updated"], created_by=owner)
    receiver.statuses = [502]
    employee = EmployeeFactory(title="Engineer")
    employee_update(employee=employee, actor=Actor(channel=Channel.WEB), data={"title": "CTO"})

    _work()

    retry = DBTaskResult.objects.get(task_path="webhooks.tasks.webhook_deliver")
    assert retry.run_after is not None
    assert retry.args_kwargs["args"][1] == 2
    assert len(receiver.received) == 1
