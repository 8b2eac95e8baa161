"""Entra's provisioning requests start checklists: a POST, a disable PATCH, a DELETE."""

import datetime as dt
import json
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
    from checklists.selectors import template_kinds_in_use

    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    replace = {"op": "Replace", "path": "title", "value": "Rear Admiral"}
    template_kinds_in_use.know(frozenset())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        scim.patch_ops(employee.public_id, replace)
    assert not [q for q in queries.captured_queries if "checklists_" in q["sql"]]


ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"


def _due_dates(checklist):
    return dict(checklist.tasks.values_list("title", "due_date"))


def test_an_entra_post_with_a_start_date_counts_onboarding_from_it(scim, make_template):
    make_template()
    start = timezone.localdate() + dt.timedelta(days=30)
    body = entra_create_body(**{ALEXIS: {"startDate": f"{start.isoformat()}T00:00:00Z"}})

    assert scim.post("Users", body).status_code == HTTPStatus.CREATED

    checklist = Checklist.objects.get(employee=Employee.objects.get())
    assert (checklist.kind, checklist.anchor_date, checklist.anchor_known) == (
        ChecklistKind.ONBOARDING,
        start,
        True,
    )
    assert _due_dates(checklist) == {
        "Order a laptop": start - dt.timedelta(days=10),
        "Plan the first week": start - dt.timedelta(days=3),
        "Sign the contract": start,
    }


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Replace", "path": f"{ALEXIS}:startDate", "value": "{day}T00:00:00Z"},
        {"op": "replace", "value": {f"{ALEXIS}:startDate": "{day}T00:00:00Z"}},
    ],
    ids=["colon path", "path-less"],
)
def test_an_entra_patch_of_the_start_date_moves_the_due_dates(scim, make_template, operation):
    make_template()
    start = timezone.localdate() + dt.timedelta(days=30)
    body = entra_create_body(**{ALEXIS: {"startDate": start.isoformat()}})
    scim.post("Users", body)
    employee = Employee.objects.get()
    later = start + dt.timedelta(days=14)
    operation = json.loads(json.dumps(operation).replace("{day}", later.isoformat()))

    response = scim.patch_ops(employee.public_id, operation)

    assert response.status_code == HTTPStatus.OK, response.json()
    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.anchor_date, checklist.status) == (later, ChecklistStatus.RUNNING)
    assert _due_dates(checklist)["Sign the contract"] == later
    assert _due_dates(checklist)["Order a laptop"] == later - dt.timedelta(days=10)


def test_an_entra_end_date_starts_offboarding_as_hr_setting_it_does(
    scim, make_template, hr_admin_client
):
    make_template(ChecklistKind.OFFBOARDING)
    scim.post("Users", entra_create_body())
    employee = Employee.objects.get()
    end = timezone.localdate() + dt.timedelta(days=20)
    replace = {"op": "Add", "path": f"{ALEXIS}:endDate", "value": f"{end.isoformat()}T00:00:00Z"}

    for _ in range(2):  # Entra repeats itself
        assert scim.patch_ops(employee.public_id, replace).status_code == HTTPStatus.OK

    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.kind, checklist.anchor_date, checklist.anchor_known) == (
        ChecklistKind.OFFBOARDING,
        end,
        True,
    )
    assert _due_dates(checklist)["Sign the contract"] == end
    # A leave with its end date is no leave to confirm.
    assert "confirm the leave" not in hr_admin_client.get("/").text
