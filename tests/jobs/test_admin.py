from http import HTTPStatus

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import HRAdminFactory, OwnerFactory
from tests.jobs.tasks import fail_for_good, remember

pytestmark = pytest.mark.django_db

TASK_LIST = "/admin/django_tasks_database/dbtaskresult/"


def test_owners_see_failed_tasks_with_their_error(client, run_queued_tasks):
    fail_for_good.enqueue("payroll-export")
    run_queued_tasks()
    row = DBTaskResult.objects.get()
    client.force_login(OwnerFactory(username="olga.owner", is_staff=True))

    listing = client.get(TASK_LIST, {"status__exact": "FAILED"})
    detail = client.get(f"{TASK_LIST}{row.pk}/change/")

    assert listing.status_code == HTTPStatus.OK
    assert "fail_for_good" in listing.content.decode()
    assert "Background tasks" in client.get("/admin/").content.decode()
    assert detail.status_code == HTTPStatus.OK
    assert "ValueError: bad input payroll-export" in detail.content.decode()


def test_hr_admins_do_not_see_the_task_list(client):
    client.force_login(HRAdminFactory(username="hank.hr", is_staff=True))

    assert client.get(TASK_LIST).status_code == HTTPStatus.FORBIDDEN


def test_owner_runs_a_failed_task_again(client, run_queued_tasks):
    fail_for_good.enqueue("x", attempt=3)  # its last attempt: run again, it starts afresh
    remember.enqueue("k", "v")
    run_queued_tasks()
    client.force_login(OwnerFactory(username="olga.owner", is_staff=True))

    response = client.post(
        TASK_LIST,
        {
            "action": "run_again",
            "_selected_action": [
                str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)
            ],
        },
        follow=True,
    )

    assert "1 task(s) queued to run again." in response.content.decode()
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.task_path == "tests.jobs.tasks.fail_for_good"
    assert again.args_kwargs == {"args": ["x"], "kwargs": {}}
