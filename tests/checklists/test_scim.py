"""Entra's provisioning requests start checklists: a POST, a disable PATCH, a DELETE."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from checklists.models import Checklist, ChecklistKind, ChecklistStatus
from employees.models import Employee
from employees.services import employee_update
from tests.scim_api.conftest import Scim, entra_create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def test_entra_post_starts_onboarding_counted_from_today(scim, make_template):
    make_template()
    response = scim.post("Users", entra_create_body())
    assert response.status_code == HTTPStatus.CREATED
    employee = Employee.objects.get()
    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.kind, checklist.anchor_date, checklist.anchor_known) == (
        ChecklistKind.ONBOARDING,
        timezone.localdate(),
        False,
    )


def test_entra_disable_patch_starts_offboarding_once_and_flags_the_missing_end_date(
    scim, make_template, hr_admin_client, web_actor
):
    make_template(ChecklistKind.OFFBOARDING)
    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    disable = {"op": "Replace", "path": "active", "value": "False"}

    for _ in range(3):  # Entra repeats itself
        assert scim.patch_ops(employee.public_id, disable).status_code == HTTPStatus.OK

    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.kind, checklist.status, checklist.anchor_known) == (
        ChecklistKind.OFFBOARDING,
        ChecklistStatus.RUNNING,
        False,
    )
    home = hr_admin_client.get("/")
    assert home.status_code == HTTPStatus.OK
    assert "Deprovisioned by Entra without an end date: confirm the leave." in home.text
    assert str(employee) in home.text

    # HR confirms the leave with an end date: the flag goes, the due dates move.
    end = timezone.localdate() - dt.timedelta(days=1)
    employee_update(employee=employee, actor=web_actor, data={"end_date": end})
    checklist.refresh_from_db()
    assert (checklist.anchor_date, checklist.anchor_known) == (end, True)
    assert "confirm the leave" not in hr_admin_client.get("/").text


def test_entra_delete_starts_offboarding_and_after_a_disable_starts_no_second(scim, make_template):
    make_template(ChecklistKind.OFFBOARDING)
    scim.post("Users", entra_create_body())
    scim.post("Users", entra_create_body("second@contoso.com", externalId="second"))
    first, second = Employee.objects.order_by("id")
    disable = {"op": "Replace", "path": "active", "value": "False"}
    assert scim.patch_ops(second.public_id, disable).status_code == HTTPStatus.OK
    for employee in (first, second):
        assert scim.delete(f"Users/{employee.public_id}").status_code == HTTPStatus.NO_CONTENT
        assert Checklist.objects.get(employee=employee).kind == ChecklistKind.OFFBOARDING


def test_entra_title_patch_starts_a_role_change_once(scim, make_template):
    make_template(ChecklistKind.ROLE_CHANGE)
    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    replace = {"op": "Replace", "path": "title", "value": "Rear Admiral"}
    for _ in range(2):
        assert scim.patch_ops(employee.public_id, replace).status_code == HTTPStatus.OK
    assert Checklist.objects.filter(employee=employee, kind=ChecklistKind.ROLE_CHANGE).count() == 1


def test_a_scim_write_without_templates_costs_no_extra_query(scim, django_assert_num_queries):
    from checklists.selectors import template_kinds_known_empty

    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    replace = {"op": "Replace", "path": "title", "value": "Rear Admiral"}
    template_kinds_known_empty()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        scim.patch_ops(employee.public_id, replace)
    assert not [q for q in queries.captured_queries if "checklists_" in q["sql"]]
