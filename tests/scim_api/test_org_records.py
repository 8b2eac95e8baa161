"""SCIM's plain department and organization strings resolve to organisation records."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employees.models import Employee
from organisation.kinds import DEPARTMENT
from organisation.models import Department, DepartmentChange, LegalEntity
from organisation.services import (
    org_record_create,
    org_record_merge,
    org_record_update,
    organisation_settings_update,
)
from tests.scim_api.conftest import ENT, PATCH_OP, entra_create_body, error_body

pytestmark = pytest.mark.django_db


def _create(scim, **enterprise):
    return scim.post("Users", entra_create_body(**{ENT: enterprise}))


def test_a_known_department_matches_trimmed_and_in_any_case(scim, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")

    response = _create(scim, department="  sALES ")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()[ENT]["department"] == "Sales"
    employee = Employee.objects.get()
    assert (employee.department_record, employee.department) == (sales, "Sales")
    assert Department.objects.count() == 1


def test_an_unknown_name_creates_a_record_marked_created_by_provisioning(scim):
    response = _create(scim, department="Research", organization="Contoso AB")

    assert response.status_code == HTTPStatus.CREATED
    department = Department.objects.get()
    entity = LegalEntity.objects.get()
    assert (department.name, department.created_by_provisioning) == ("Research", True)
    assert (entity.name, entity.created_by_provisioning) == ("Contoso AB", True)
    employee = Employee.objects.get()
    assert (employee.department_record, employee.legal_entity) == (department, entity)
    assert response.json()[ENT]["organization"] == "Contoso AB"
    assert DepartmentChange.objects.get(department=department).channel == "scim"


def test_when_owners_turn_creation_off_an_unknown_name_is_a_400_naming_the_attribute(scim):
    organisation_settings_update(provisioning_creates_records=False)

    response = _create(scim, department="Research")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(
        400,
        f"{ENT}:department “Research” matches no department in Alexis, and owners have "
        "turned off creating departments from provisioning.",
        "invalidValue",
    )
    assert not Employee.objects.exists()
    assert not Department.objects.exists()


def test_a_rename_in_alexis_is_what_scim_returns(scim, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    employee_id = _create(scim, department="Sales").json()["id"]

    org_record_update(kind=DEPARTMENT, record=sales, actor=web_actor, data={"name": "Revenue"})

    body = scim.get(f"Users/{employee_id}").json()
    assert body[ENT]["department"] == "Revenue"
    filtered = scim.get(f'Users?filter={ENT}:department eq "revenue"')
    assert filtered.json()["totalResults"] == 1


def test_a_merged_name_still_resolves_to_the_surviving_record(scim, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    old = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales EMEA")
    org_record_merge(kind=DEPARTMENT, source=old, target=sales, actor=web_actor)

    response = _create(scim, department="sales emea")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()[ENT]["department"] == "Sales"
    assert Employee.objects.get().department_record == sales


def test_patch_replaces_and_removes_the_department(scim):
    employee_id = _create(scim, department="Sales").json()["id"]

    replaced = scim.patch(
        f"Users/{employee_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": f"{ENT}:department", "value": "Legal"}],
        },
    )
    assert replaced.status_code == HTTPStatus.OK
    assert replaced.json()[ENT]["department"] == "Legal"
    assert Employee.objects.get().department_record.name == "Legal"

    removed = scim.patch(
        f"Users/{employee_id}",
        {"schemas": [PATCH_OP], "Operations": [{"op": "remove", "path": f"{ENT}:department"}]},
    )
    assert removed.status_code == HTTPStatus.OK
    assert "department" not in removed.json().get(ENT, {})
    employee = Employee.objects.get()
    assert (employee.department_record, employee.department) == (None, "")
    assert set(Department.objects.values_list("name", flat=True)) == {"Sales", "Legal"}


def test_the_change_history_shows_the_name_not_the_record(scim):
    employee_id = _create(scim, department="Sales").json()["id"]
    scim.patch(
        f"Users/{employee_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": f"{ENT}:department", "value": "Legal"}],
        },
    )
    employee = Employee.objects.get()
    assert employee.changes.first().changes == {"department": ["Sales", "Legal"]}


def test_a_refused_request_leaves_no_record_behind(scim):
    body = entra_create_body(**{ENT: {"department": "Research"}})
    body["emails"] = [{"primary": True, "type": "work", "value": "not an email"}]

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Department.objects.exists()
    assert not Employee.objects.exists()


def test_a_department_named_in_a_patch_is_read_once(scim, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    user_id = _create(scim).json()["id"]

    with CaptureQueriesContext(connection) as queries:
        response = scim.patch(
            f"Users/{user_id}",
            {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "Add", "path": f"{ENT}:department", "value": "sales"}],
            },
        )

    assert response.status_code == HTTPStatus.OK
    assert response.json()[ENT]["department"] == "Sales"
    assert Employee.objects.get(public_id=user_id).department_record == sales
    # Found by name; full_clean does not look the record up again by id.
    reads = [q for q in queries if 'FROM "organisation_department"' in q["sql"]]
    assert len(reads) == 1
