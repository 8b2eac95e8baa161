"""A leave undone (a reactivation before the last day, the end date removed) cancels its
running offboarding checklist with the reason in its history; HR reads it on the page."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from checklists.models import Checklist, ChecklistChange, ChecklistKind, ChecklistStatus
from checklists.services import Action, checklist_task_complete, checklist_template_update
from employees.models import Channel, Employee
from employees.services import employee_deactivate, employee_reactivate, employee_update
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import Scim, entra_create_body

pytestmark = pytest.mark.django_db

ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"
DISABLE = {"op": "Replace", "path": "active", "value": "False"}
ENABLE = {"op": "Replace", "path": "active", "value": "True"}


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def _offboarding(employee):
    return Checklist.objects.get(employee=employee, kind=ChecklistKind.OFFBOARDING)


def _cancellation(checklist):
    return ChecklistChange.objects.get(checklist=checklist, action=Action.CANCELLED)


def test_hr_reactivating_before_the_last_day_cancels_the_offboarding_with_a_reason(
    make_template, web_actor, hr_admin, hr_admin_client
):
    make_template(ChecklistKind.OFFBOARDING)
    employee = EmployeeFactory(given_name="Ada", family_name="Lovelace", start_date=None)
    last_day = timezone.localdate() + dt.timedelta(days=10)
    employee_deactivate(employee=employee, actor=web_actor, end_date=last_day)

    response = hr_admin_client.post(f"/employees/{employee.public_id}/reactivate/")

    assert response.status_code == HTTPStatus.FOUND
    checklist = _offboarding(employee)
    reason = "Automatic: Ada Lovelace was reactivated (HR web app), so the leave is undone."
    assert (checklist.status, checklist.cancel_reason) == (ChecklistStatus.CANCELLED, reason)
    assert not checklist.tasks.filter(is_open=True).exists()
    change = _cancellation(checklist)
    assert (change.channel, change.actor_user, change.changes["cancel_reason"]) == (
        Channel.WEB,
        hr_admin,
        [None, reason],
    )
    page = hr_admin_client.get(f"/checklists/{checklist.public_id}/")
    assert page.status_code == HTTPStatus.OK
    assert reason in page.text
    assert "Cancel checklist" not in page.text


def test_entra_enabling_a_user_it_disabled_cancels_the_offboarding_and_the_flag_goes(
    scim, make_template, scim_token, hr_admin_client
):
    make_template(ChecklistKind.OFFBOARDING)
    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    scim.patch_ops(employee.public_id, DISABLE)
    assert "confirm the leave" in hr_admin_client.get("/").text

    for _ in range(2):  # Entra repeats itself: one cancellation
        assert scim.patch_ops(employee.public_id, ENABLE).status_code == HTTPStatus.OK

    checklist = _offboarding(employee)
    assert checklist.status == ChecklistStatus.CANCELLED
    assert checklist.cancel_reason == (
        "Automatic: Grace Hopper was reactivated (SCIM), so the leave is undone."
    )
    change = _cancellation(checklist)
    assert (change.channel, change.actor_token) == (Channel.SCIM, scim_token.token)
    assert "confirm the leave" not in hr_admin_client.get("/").text

    # Disabled again later: a new leave, a new offboarding.
    scim.patch_ops(employee.public_id, DISABLE)
    statuses = Checklist.objects.filter(employee=employee).order_by("id")
    assert list(statuses.values_list("status", flat=True)) == ["cancelled", "running"]


@pytest.mark.parametrize("channel", ["web", "scim"])
def test_removing_the_end_date_cancels_the_offboarding(scim, make_template, web_actor, channel):
    make_template(ChecklistKind.OFFBOARDING)
    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    end = timezone.localdate() + dt.timedelta(days=30)
    employee_update(employee=employee, actor=web_actor, data={"end_date": end})
    assert _offboarding(employee).status == ChecklistStatus.RUNNING

    if channel == "web":
        employee_update(employee=employee, actor=web_actor, data={"end_date": None})
    else:
        removed = scim.patch_ops(employee.public_id, {"op": "Remove", "path": f"{ALEXIS}:endDate"})
        assert removed.status_code == HTTPStatus.OK

    checklist = _offboarding(employee)
    label = {"web": "HR web app", "scim": "SCIM"}[channel]
    assert (checklist.status, checklist.cancel_reason) == (
        ChecklistStatus.CANCELLED,
        f"Automatic: The end date of Grace Hopper was removed ({label}), so the leave is undone.",
    )


def test_a_reactivation_after_the_last_day_leaves_the_offboarding_running(make_template, web_actor):
    make_template(ChecklistKind.OFFBOARDING)
    employee = EmployeeFactory(start_date=timezone.localdate() - dt.timedelta(days=400))
    last_day = timezone.localdate() - dt.timedelta(days=1)
    employee_deactivate(employee=employee, actor=web_actor, end_date=last_day)

    employee_reactivate(employee=employee, actor=web_actor)

    assert _offboarding(employee).status == ChecklistStatus.RUNNING


def test_removing_the_end_date_of_someone_still_inactive_cancels_nothing(make_template, web_actor):
    make_template(ChecklistKind.OFFBOARDING)
    employee = EmployeeFactory(start_date=None)
    end = timezone.localdate() + dt.timedelta(days=5)
    employee_deactivate(employee=employee, actor=web_actor, end_date=end)

    employee_update(employee=employee, actor=web_actor, data={"end_date": None})

    assert _offboarding(employee).status == ChecklistStatus.RUNNING


def test_only_running_offboardings_are_cancelled_even_with_no_template_in_use(
    make_template, web_actor
):
    template = make_template(ChecklistKind.OFFBOARDING)
    onboarding = make_template(ChecklistKind.ONBOARDING)
    employee = EmployeeFactory(start_date=None)
    employee_update(
        employee=employee,
        actor=web_actor,
        data={"start_date": timezone.localdate() + dt.timedelta(days=3)},
    )
    employee_deactivate(employee=employee, actor=web_actor)
    done = Checklist.objects.get(employee=employee, kind=ChecklistKind.ONBOARDING)
    for task in done.tasks.all():
        checklist_task_complete(task=task, actor=web_actor)
    for unused in (template, onboarding):
        checklist_template_update(template=unused, actor=web_actor, data={"active": False})

    employee_reactivate(employee=employee, actor=web_actor)

    assert _offboarding(employee).status == ChecklistStatus.CANCELLED
    done.refresh_from_db()
    assert done.status == ChecklistStatus.COMPLETED
