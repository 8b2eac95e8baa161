"""Creating and updating employees: services, change history, field-level errors."""

import datetime as dt
import json
import uuid
from http import HTTPStatus

import pytest
from django.utils import timezone

from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

NEW_EMPLOYEE = {
    "user_name": "new.hire@contoso.com",
    "given_name": "New",
    "family_name": "Hire",
    "work_email": "new.hire@contoso.com",
}


def invalid(errors: dict) -> dict:
    return {
        "status": 400,
        "code": "invalid",
        "detail": "The request is invalid: " + ", ".join(errors) + ".",
        "errors": errors,
    }


def test_create_returns_201_with_location_and_records_history(api_client, api_token):
    manager = EmployeeFactory(user_name="boss@contoso.com", display_name="The Boss")
    body = {
        **NEW_EMPLOYEE,
        "title": "Analyst",
        "department": "Finance",
        "work_phone": "+442071838750",
        "employment_type": "part_time",
        "manager_id": str(manager.public_id),
        "start_date": "2025-02-03",
    }

    response = api_client.post("/api/v1/employees/", body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    employee = Employee.objects.get(user_name="new.hire@contoso.com")
    assert response["Location"] == f"http://testserver/api/v1/employees/{employee.public_id}/"
    data = response.json()
    assert data["id"] == str(employee.public_id)
    assert {k: data[k] for k in body} == body
    assert data["manager"] == {
        "id": str(manager.public_id),
        "user_name": "boss@contoso.com",
        "display_name": "The Boss",
    }
    assert data["active"] is True
    assert data["end_date"] is None
    assert employee.manager == manager
    assert employee.start_date == dt.date(2025, 2, 3)
    change = EmployeeChange.objects.get(employee=employee)
    assert change.action == ChangeAction.CREATED
    assert change.channel == Channel.API
    assert change.actor_token == api_token.token
    assert change.actor_user is None
    assert change.changes["manager"] == [None, "boss@contoso.com"]
    assert change.changes["title"] == [None, "Analyst"]


def test_create_with_select_returns_those_fields(api_client):
    response = api_client.post("/api/v1/employees/?select=user_name", NEW_EMPLOYEE, format="json")

    employee = Employee.objects.get()
    assert response.json() == {"id": str(employee.public_id), "user_name": "new.hire@contoso.com"}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "user_name": ["This field is required."],
                "given_name": ["This field is required."],
                "family_name": ["This field is required."],
                "work_email": ["This field is required."],
            },
        ),
        ({**NEW_EMPLOYEE, "work_email": "nope"}, {"work_email": ["Enter a valid email address."]}),
        (
            {**NEW_EMPLOYEE, "work_phone": "617 555 1212"},
            {
                "work_phone": [
                    "Enter the phone number in E.164 format: a plus sign, the country code and "
                    "the number, with no spaces, for example +16175551212."
                ]
            },
        ),
        ({**NEW_EMPLOYEE, "given_name": ""}, {"given_name": ["This field may not be blank."]}),
        ({**NEW_EMPLOYEE, "given_name": None}, {"given_name": ["This field may not be null."]}),
        (
            {**NEW_EMPLOYEE, "given_name": "x" * 151},
            {"given_name": ["Ensure this field has no more than 150 characters."]},
        ),
        (
            {**NEW_EMPLOYEE, "employment_type": "boss"},
            {"employment_type": ['"boss" is not a valid choice.']},
        ),
        ({**NEW_EMPLOYEE, "active": "perhaps"}, {"active": ["Must be a valid boolean."]}),
        (
            {**NEW_EMPLOYEE, "start_date": "2025-02-30"},
            {
                "start_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {**NEW_EMPLOYEE, "start_date": "2025-02-03", "end_date": "2025-02-01"},
            {"end_date": ["The end date cannot be before the start date."]},
        ),
        ({**NEW_EMPLOYEE, "manager_id": "boss"}, {"manager_id": ["Must be a valid UUID."]}),
        (
            {**NEW_EMPLOYEE, "manager_id": str(uuid.uuid4())},
            {"manager_id": ["No employee has this id."]},
        ),
        ({**NEW_EMPLOYEE, "salary": 100}, {"salary": ["Unknown field."]}),
        (
            {**NEW_EMPLOYEE, "id": str(uuid.uuid4()), "created_at": "2020-01-01T00:00:00Z"},
            {"id": ["This field is read-only."], "created_at": ["This field is read-only."]},
        ),
        (
            {**NEW_EMPLOYEE, "title": "a\ud800b"},
            {
                "title": [
                    "title must not contain unpaired surrogate characters (\\ud800 to \\udfff)."
                ]
            },
        ),
        (
            {**NEW_EMPLOYEE, "title": "a\x00b"},
            {"title": ["title must not contain NUL characters."]},
        ),
        (
            ["not", "an", "object"],
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
        ),
    ],
)
def test_create_refuses_bad_bodies_field_by_field(api_client, body, errors):
    # json.dumps escapes a lone surrogate as \\ud800, as a client's JSON library would.
    response = api_client.generic(
        "POST", "/api/v1/employees/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid(errors)
    assert not Employee.objects.exists()
    assert not EmployeeChange.objects.exists()


def test_create_refuses_a_taken_user_name_from_the_service(api_client):
    EmployeeFactory(user_name="New.Hire@contoso.com")

    response = api_client.post("/api/v1/employees/", NEW_EMPLOYEE, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid(
        {"user_name": ["An employee with this user name already exists."]}
    )
    assert Employee.objects.count() == 1


def test_create_refuses_a_deleted_manager(api_client):
    gone = EmployeeFactory(deleted_at=timezone.now(), active=False)

    response = api_client.post(
        "/api/v1/employees/", {**NEW_EMPLOYEE, "manager_id": str(gone.public_id)}, format="json"
    )

    assert response.json() == invalid({"manager_id": ["No employee has this id."]})


def test_malformed_json_is_400(api_client):
    response = api_client.generic(
        "POST", "/api/v1/employees/", '{"user_name": ', content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("JSON parse error")


def test_form_encoded_body_is_415(api_client):
    response = api_client.generic(
        "POST",
        "/api/v1/employees/",
        "user_name=new.hire%40contoso.com",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response.json() == {
        "status": 415,
        "code": "unsupported_media_type",
        "detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.',
        "errors": {},
    }


def test_accept_other_than_json_is_406(api_client):
    response = api_client.get("/api/v1/employees/", HTTP_ACCEPT="application/xml")

    assert response.status_code == HTTPStatus.NOT_ACCEPTABLE
    assert response.json()["code"] == "not_acceptable"


def test_patch_changes_only_given_fields_and_records_history(api_client, api_token):
    employee = EmployeeFactory(title="Engineer", department="Engineering", location="Oslo")
    manager = EmployeeFactory(user_name="lead@contoso.com")

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/",
        {"title": "Senior engineer", "manager_id": str(manager.public_id)},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["title"] == "Senior engineer"
    assert response.json()["manager_id"] == str(manager.public_id)
    assert response.json()["location"] == "Oslo"
    employee.refresh_from_db()
    assert (employee.title, employee.manager, employee.location) == (
        "Senior engineer",
        manager,
        "Oslo",
    )
    assert employee.version == 2
    change = EmployeeChange.objects.get(employee=employee)
    assert change.action == ChangeAction.UPDATED
    assert change.channel == Channel.API
    assert change.actor_token == api_token.token
    assert change.changes == {
        "title": ["Engineer", "Senior engineer"],
        "manager": [None, "lead@contoso.com"],
    }


def test_patch_active_false_is_recorded_as_deactivation(api_client):
    employee = EmployeeFactory()

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/", {"active": False}, format="json"
    )

    assert response.json()["active"] is False
    assert EmployeeChange.objects.get(employee=employee).action == ChangeAction.DEACTIVATED


def test_patch_clears_manager_with_null(api_client):
    manager = EmployeeFactory()
    employee = EmployeeFactory(manager=manager)

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/", {"manager_id": None}, format="json"
    )

    assert response.json()["manager"] is None
    employee.refresh_from_db()
    assert employee.manager is None


def test_patch_with_no_change_records_nothing(api_client):
    employee = EmployeeFactory(title="Engineer")

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/", {"title": "Engineer"}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert not EmployeeChange.objects.exists()


def test_patch_refuses_a_manager_cycle(api_client):
    top = EmployeeFactory()
    middle = EmployeeFactory(manager=top)

    response = api_client.patch(
        f"/api/v1/employees/{top.public_id}/", {"manager_id": str(middle.public_id)}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid(
        {"manager_id": ["This manager would make the employee report to themselves (a cycle)."]}
    )
    top.refresh_from_db()
    assert top.manager is None


def test_patch_checks_end_date_against_the_stored_start_date(api_client):
    employee = EmployeeFactory(start_date=dt.date(2024, 5, 1))

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/", {"end_date": "2024-04-30"}, format="json"
    )

    assert response.json() == invalid(
        {"end_date": ["The end date cannot be before the start date."]}
    )


def test_patch_refuses_a_user_name_taken_by_another(api_client):
    EmployeeFactory(user_name="taken@contoso.com")
    employee = EmployeeFactory()

    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/",
        {"user_name": "TAKEN@contoso.com"},
        format="json",
    )

    assert response.json() == invalid(
        {"user_name": ["An employee with this user name already exists."]}
    )


def test_patch_unknown_employee_is_404(api_client):
    response = api_client.patch(f"/api/v1/employees/{uuid.uuid4()}/", {"title": "x"}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not EmployeeChange.objects.exists()
