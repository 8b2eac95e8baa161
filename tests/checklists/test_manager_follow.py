"""Manager tasks follow the employee's current manager: Entra creates a joiner first and sets
the manager in a later PATCH, so tasks that started with HR reach the manager then."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from checklists.models import AssigneeRole, ChecklistChange, ChecklistKind, ChecklistTask
from checklists.selectors import my_tasks
from checklists.services import Action
from employees.models import Channel, Employee
from employees.services import employee_update
from notifications.models import Notification
from tests.factories import EmployeeFactory, UserFactory
from tests.scim_api.conftest import Scim, entra_create_body

pytestmark = pytest.mark.django_db

ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"
MANAGER_PATH = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def _manager(user_name):
    user = UserFactory(username=user_name, email=user_name)
    return EmployeeFactory(user=user, user_name=user_name)


def _tasks(employee):
    return {
        t.title: (t.assignee_role, t.assignee_employee_id)
        for t in ChecklistTask.objects.filter(checklist__employee=employee)
    }


def test_entras_manager_patch_after_the_create_hands_the_manager_tasks_over(
    make_template, scim, django_capture_on_commit_callbacks
):
    make_template()
    manager = _manager("mia.manager@contoso.com")
    start = timezone.localdate() + dt.timedelta(days=14)
    body = entra_create_body(**{ALEXIS: {"startDate": f"{start.isoformat()}T00:00:00Z"}})
    created = scim.post("Users", body)
    assert created.status_code == HTTPStatus.CREATED
    joiner = Employee.objects.get(public_id=created.json()["id"])
    # No manager yet: HR covers the manager's task.
    assert _tasks(joiner)["Plan the first week"] == (AssigneeRole.HR, None)

    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch_ops(
            joiner.public_id,
            {"op": "Add", "path": MANAGER_PATH, "value": str(manager.public_id)},
        )

    assert response.status_code == HTTPStatus.OK
    assert _tasks(joiner) == {
        "Order a laptop": (AssigneeRole.IT, None),
        "Plan the first week": (AssigneeRole.MANAGER, manager.pk),
        "Sign the contract": (AssigneeRole.EMPLOYEE, joiner.pk),
    }
    tasks, total = my_tasks(user=manager.user)
    assert ([t.title for t in tasks], total) == (["Plan the first week"], 1)
    change = ChecklistChange.objects.get(action=Action.REASSIGNED)
    assert (change.channel, change.changes) == (
        Channel.SCIM,
        {"manager_tasks": ["HR", "mia.manager@contoso.com"]},
    )
    # Only the manager is told; HR and IT already were when the checklist started.
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "mia.manager@contoso.com"
    ]

    # The same PATCH again changes nothing and records nothing.
    scim.patch_ops(
        joiner.public_id, {"op": "Replace", "path": MANAGER_PATH, "value": str(manager.public_id)}
    )
    assert ChecklistChange.objects.filter(action=Action.REASSIGNED).count() == 1


def test_a_new_manager_takes_over_open_manager_tasks_and_done_ones_stay(make_template, web_actor):
    make_template(
        tasks=[
            ("Plan the first week", AssigneeRole.MANAGER, -3),
            ("Book a welcome lunch", AssigneeRole.MANAGER, 0),
            ("Sign the contract", AssigneeRole.EMPLOYEE, 0),
        ]
    )
    first, second = _manager("first@contoso.com"), _manager("second@contoso.com")
    joiner = EmployeeFactory(manager=first, start_date=None)
    employee_update(
        employee=joiner,
        actor=web_actor,
        data={"start_date": timezone.localdate() + dt.timedelta(days=10)},
    )
    checklist = joiner.checklists.get(kind=ChecklistKind.ONBOARDING)
    done = checklist.tasks.get(title="Plan the first week")
    assert (done.assignee_role, done.assignee_employee_id) == (AssigneeRole.MANAGER, first.pk)
    ChecklistTask.objects.filter(pk=done.pk).update(is_open=False)

    employee_update(employee=joiner, actor=web_actor, data={"manager": second})

    assert _tasks(joiner) == {
        "Plan the first week": (AssigneeRole.MANAGER, first.pk),
        "Book a welcome lunch": (AssigneeRole.MANAGER, second.pk),
        "Sign the contract": (AssigneeRole.EMPLOYEE, joiner.pk),
    }

    employee_update(employee=joiner, actor=web_actor, data={"manager": None})

    assert _tasks(joiner)["Book a welcome lunch"] == (AssigneeRole.HR, None)
    assert list(
        ChecklistChange.objects.filter(action=Action.REASSIGNED)
        .order_by("id")
        .values_list("changes", flat=True)
    ) == [
        {"manager_tasks": ["first@contoso.com", "second@contoso.com"]},
        {"manager_tasks": ["second@contoso.com", "HR"]},
    ]
