"""POST /Users with the request shapes Entra ID sends (RFC 7644 §3.3)."""

from http import HTTPStatus

import pytest

from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import CORE, ENT, HOST, entra_create_body, error_body, iso

pytestmark = pytest.mark.django_db


def test_entra_create_returns_201_with_the_full_resource_and_stores_the_employee(scim, scim_token):
    response = scim.post("Users", entra_create_body())

    assert response.status_code == HTTPStatus.CREATED
    assert response["Content-Type"] == "application/scim+json"
    employee = Employee.objects.get()
    location = f"{HOST}/scim/v2/Users/{employee.public_id}"
    assert response["Location"] == location
    assert response["ETag"] == 'W/"1"'
    assert response.json() == {
        "schemas": [CORE],
        "id": str(employee.public_id),
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_00aa00aa@contoso.com",
        "name": {"givenName": "Grace", "familyName": "Hopper", "formatted": "Grace Hopper"},
        "active": True,
        "emails": [{"value": "grace.hopper@contoso.com", "type": "work", "primary": True}],
        "meta": {
            "resourceType": "User",
            "created": iso(employee.created_at),
            "lastModified": iso(employee.updated_at),
            "location": location,
            "version": 'W/"1"',
        },
    }
    assert (
        employee.user_name,
        employee.external_id,
        employee.given_name,
        employee.family_name,
        employee.work_email,
        employee.active,
        employee.manager,
        employee.last_synced_at is not None,
    ) == (
        "Test_User_00aa00aa@contoso.com",
        "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "Grace",
        "Hopper",
        "grace.hopper@contoso.com",
        True,
        None,
        True,
    )
    change = EmployeeChange.objects.get(employee=employee)
    assert (change.action, change.channel, change.actor_token_id) == (
        ChangeAction.CREATED,
        Channel.SCIM,
        scim_token.token.pk,
    )


def test_create_with_every_mapped_attribute_round_trips_exactly(scim):
    manager = EmployeeFactory(display_name="Ada Lovelace")
    body = entra_create_body(
        userName="Mixed.Case@Contoso.com",
        displayName="Grace B. Hopper",
        title="Rear Admiral",
        phoneNumbers=[{"type": "work", "value": "+16175551212"}],
        **{
            ENT: {
                "employeeNumber": "701984",
                "department": "Tour Operations",
                "costCenter": "4130",
                "division": "Theme Park",
                "organization": "Universal Studios",
                "manager": {"value": str(manager.public_id)},
            }
        },
    )

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()
    assert data["schemas"] == [CORE, ENT]
    assert data["userName"] == "Mixed.Case@Contoso.com"
    assert data["displayName"] == "Grace B. Hopper"
    assert data["title"] == "Rear Admiral"
    assert data["phoneNumbers"] == [{"value": "+16175551212", "type": "work"}]
    assert data[ENT] == {
        "employeeNumber": "701984",
        "department": "Tour Operations",
        "costCenter": "4130",
        "division": "Theme Park",
        "organization": "Universal Studios",
        "manager": {
            "value": str(manager.public_id),
            "$ref": f"{HOST}/scim/v2/Users/{manager.public_id}",
            "displayName": "Ada Lovelace",
        },
    }
    employee = Employee.objects.get(public_id=data["id"])
    assert (employee.work_phone, employee.cost_center, employee.manager_id) == (
        "+16175551212",
        "4130",
        manager.pk,
    )


def test_create_ignores_meta_unknown_schemas_roles_and_explicit_nulls(scim):
    """Microsoft's second documented create: typo URN, top-level nulls, readOnly meta."""
    body = {
        "schemas": [CORE, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
        "externalId": "jyoung",
        "userName": "jyoung@testuser.com",
        "active": True,
        "addresses": None,
        "displayName": "Joy Young",
        "emails": [{"type": "work", "value": "jyoung@Contoso.com", "primary": True}],
        "meta": {"resourceType": "User", "created": "2001-01-01T00:00:00Z"},
        "name": {"familyName": "Young", "givenName": "Joy"},
        "phoneNumbers": None,
        "preferredLanguage": None,
        "title": None,
        "department": None,
        "manager": None,
        "nickName": "JJ",
        "roles": [{"primary": "True", "value": "admin"}],
    }

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()
    assert set(data) == {
        "schemas",
        "id",
        "externalId",
        "userName",
        "name",
        "displayName",
        "active",
        "emails",
        "meta",
    }
    assert data["emails"] == [{"value": "jyoung@Contoso.com", "type": "work", "primary": True}]
    assert data["meta"]["created"] != "2001-01-01T00:00:00.000Z"


def test_active_defaults_to_true_and_accepts_strings(scim):
    body = entra_create_body()
    del body["active"]
    assert scim.post("Users", body).json()["active"] is True

    response = scim.post("Users", entra_create_body("second@contoso.com", active="False"))

    assert response.json()["active"] is False
    assert Employee.objects.get(user_name="second@contoso.com").active is False


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"userName": None}, "userName is required."),
        ({"name": {"givenName": "Grace"}}, "name.familyName is required."),
        ({"name": {"familyName": "Hopper"}}, "name.givenName is required."),
        ({"emails": []}, 'emails[type eq "work"].value is required.'),
        (
            {"emails": [{"type": "home", "value": "g@home.example"}]},
            'emails[type eq "work"].value is required.',
        ),
        ({"userName": 42}, "userName must be a string."),
        ({"active": "maybe"}, "active must be true or false."),
    ],
)
def test_missing_or_malformed_required_attributes_are_400_invalid_value(scim, change, detail):
    response = scim.post("Users", entra_create_body(**change))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(400, detail, "invalidValue")
    assert not Employee.objects.exists()


@pytest.mark.parametrize("phone", ["617-555-1212", "16175551212", "+1", "+1 617 555 121"])
def test_a_phone_that_is_not_e164_is_400_naming_the_attribute(scim, phone):
    body = entra_create_body(phoneNumbers=[{"type": "work", "value": phone}])

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    data = response.json()
    assert data["scimType"] == "invalidValue"
    assert data["detail"].startswith('phoneNumbers[type eq "work"].value: Enter the phone number')
    assert not Employee.objects.exists()


def test_a_phone_is_optional(scim):
    response = scim.post("Users", entra_create_body())

    assert response.status_code == HTTPStatus.CREATED
    assert "phoneNumbers" not in response.json()


@pytest.mark.parametrize("taken", ["alice@contoso.com", "ALICE@CONTOSO.COM", "Alice@Contoso.com"])
def test_a_user_name_taken_in_any_letter_case_is_409_uniqueness(scim, taken):
    EmployeeFactory(user_name="alice@contoso.com")

    response = scim.post("Users", entra_create_body(taken))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == error_body(
        409, "userName: An employee with this user name already exists.", "uniqueness"
    )
    assert Employee.objects.count() == 1


def test_a_taken_user_name_is_409_even_beside_an_invalid_attribute(scim):
    # The user name is left to the database constraint only when all else is valid: with
    # another error the lookup still runs, so a taken name is answered as before.
    EmployeeFactory(user_name="alice@contoso.com")
    body = entra_create_body(
        "Alice@contoso.com", phoneNumbers=[{"type": "work", "value": "not a phone"}]
    )

    response = scim.post("Users", body)

    assert response.json() == error_body(
        409, "userName: An employee with this user name already exists.", "uniqueness"
    )
    assert Employee.objects.count() == 1


def test_a_refused_duplicate_is_logged_and_leaves_no_history(scim):
    EmployeeFactory(user_name="alice@contoso.com")

    scim.post("Users", entra_create_body("ALICE@contoso.com"))

    event = ProvisioningEvent.objects.get(method="POST")
    assert (event.status, event.scim_type, event.employee) == (409, "uniqueness", None)
    assert not EmployeeChange.objects.filter(channel=Channel.SCIM).exists()


def test_a_deleted_employees_user_name_is_free_again(scim):
    EmployeeFactory(user_name="alice@contoso.com", deleted_at="2026-01-01T00:00:00Z")

    response = scim.post("Users", entra_create_body("Alice@contoso.com"))

    assert response.status_code == HTTPStatus.CREATED


def test_an_unknown_manager_is_400_and_nothing_is_created(scim):
    body = entra_create_body(**{ENT: {"manager": {"value": "XYMKVVRYDIOO"}}})

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(
        400, "manager: no user with id 'XYMKVVRYDIOO' exists.", "invalidValue"
    )
    assert not Employee.objects.exists()


def test_plain_application_json_is_accepted(scim_client):
    import json

    response = scim_client.post(
        "/scim/v2/Users/", json.dumps(entra_create_body()), content_type="application/json"
    )

    assert response.status_code == HTTPStatus.CREATED
