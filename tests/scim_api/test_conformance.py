"""Conformance fixes found by scim2-tester: primary flags, phone spellings, removing active."""

from http import HTTPStatus
from urllib.parse import quote

import pytest

from employees.models import Employee, EmployeeChange
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import entra_create_body

pytestmark = pytest.mark.django_db


def test_primary_false_is_kept_on_emails_and_phone_numbers(scim):
    body = entra_create_body(
        emails=[{"type": "work", "value": "grace@contoso.com", "primary": False}],
        phoneNumbers=[{"type": "work", "value": "+16175551212", "primary": True}],
    )

    created = scim.post("Users", body).json()

    assert created["emails"] == [{"value": "grace@contoso.com", "type": "work", "primary": False}]
    assert created["phoneNumbers"] == [{"value": "+16175551212", "type": "work", "primary": True}]
    patched = scim.patch_ops(
        created["id"],
        {"op": "replace", "path": 'emails[type eq "work"].primary', "value": True},
        {"op": "replace", "path": 'phoneNumbers[type eq "work"].primary', "value": "False"},
    ).json()
    assert (patched["emails"][0]["primary"], patched["phoneNumbers"][0]["primary"]) == (
        True,
        False,
    )


@pytest.mark.parametrize("spelled", ["+1 617 555 1212", "+1-617-555-1212", "tel:+1-617-555-1212"])
def test_a_phone_in_an_international_spelling_is_kept_in_e164_and_answered_as_sent(scim, spelled):
    body = entra_create_body(phoneNumbers=[{"type": "work", "value": spelled}])

    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED, created.json()
    assert created.json()["phoneNumbers"] == [{"value": spelled, "type": "work"}]
    employee = Employee.objects.get()
    assert employee.work_phone == "+16175551212"
    found = scim.get("Users?filter=" + quote(f'phoneNumbers.value eq "{spelled}"')).json()
    assert [r["id"] for r in found["Resources"]] == [str(employee.public_id)]
    assert EmployeeChange.objects.get().changes["work_phone"] == [None, "+16175551212"]


def test_the_spelling_sent_is_forgotten_when_the_number_changes_elsewhere(scim):
    created = scim.post(
        "Users", entra_create_body(phoneNumbers=[{"type": "work", "value": "+1 617 555 1212"}])
    ).json()
    Employee.objects.update(work_phone="+442071234567")

    answered = scim.get(f"Users/{created['id']}").json()

    assert answered["phoneNumbers"] == [{"value": "+442071234567", "type": "work"}]


def test_a_phone_without_a_country_code_needs_a_default_region(scim, settings):
    body = entra_create_body(phoneNumbers=[{"type": "work", "value": "(617) 555-1212"}])
    refused = scim.post("Users", body)
    assert (refused.status_code, refused.json()["scimType"]) == (400, "invalidValue")

    settings.SCIM_PHONE_DEFAULT_REGION = "US"
    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["phoneNumbers"] == [{"value": "(617) 555-1212", "type": "work"}]
    assert Employee.objects.get().work_phone == "+16175551212"


def test_removing_active_deactivates_and_leaves_it_unstated_until_set(scim):
    employee = EmployeeFactory(active=True)

    removed = scim.patch_ops(employee.public_id, {"op": "remove", "path": "active"})

    assert removed.status_code == HTTPStatus.OK
    assert "active" not in removed.json()
    employee.refresh_from_db()
    assert employee.active is False
    assert EmployeeChange.objects.get(employee=employee).changes == {"active": [True, False]}
    inactive = scim.get("Users?filter=active eq false").json()
    assert [r["id"] for r in inactive["Resources"]] == [str(employee.public_id)]

    restated = scim.patch_ops(
        employee.public_id, {"op": "replace", "path": "active", "value": True}
    )

    assert restated.json()["active"] is True
    employee.refresh_from_db()
    assert (employee.active, employee.active_stated) == (True, True)


def test_name_formatted_sent_by_a_client_is_derived_not_stored(scim):
    body = entra_create_body()
    body["name"]["formatted"] = "Amazing Grace"

    created = scim.post("Users", body).json()

    assert created["name"]["formatted"] == "Grace Hopper"
