"""Reading employees: list envelope, retrieve, select, reports, not found."""

import datetime as dt
import uuid
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return EmployeeFactory(
        user_name="maya.manager@contoso.com",
        given_name="Maya",
        family_name="Manager",
        display_name="Maya Manager",
        title="Head of Engineering",
        department="Engineering",
    )


@pytest.fixture
def ada(manager):
    return EmployeeFactory(
        user_name="ada.lovelace@contoso.com",
        external_id="0b1c2d3e",
        given_name="Ada",
        family_name="Lovelace",
        display_name="Ada Lovelace",
        title="Engineer",
        work_email="ada@contoso.com",
        work_phone="+16175551212",
        employee_number="E-1",
        department="Engineering",
        cost_center="CC-10",
        division="Product",
        organization="Contoso",
        location="Boston",
        employment_type="full_time",
        manager=manager,
        start_date=dt.date(2024, 1, 15),
    )


def iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat().replace("+00:00", "Z")


def test_retrieve_returns_every_field(api_client, ada, manager):
    response = api_client.get(f"/api/v1/employees/{ada.public_id}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": str(ada.public_id),
        "user_name": "ada.lovelace@contoso.com",
        "external_id": "0b1c2d3e",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "display_name": "Ada Lovelace",
        "title": "Engineer",
        "work_email": "ada@contoso.com",
        "work_phone": "+16175551212",
        "employee_number": "E-1",
        "department": "Engineering",
        "cost_center": "CC-10",
        "division": "Product",
        "organization": "Contoso",
        "location": "Boston",
        "employment_type": "full_time",
        "manager_id": str(manager.public_id),
        "manager": {
            "id": str(manager.public_id),
            "user_name": "maya.manager@contoso.com",
            "display_name": "Maya Manager",
        },
        "active": True,
        "start_date": "2024-01-15",
        "end_date": None,
        "custom_fields": {},
        "created_at": iso(ada.created_at),
        "updated_at": iso(ada.updated_at),
    }


def test_retrieve_without_manager_has_nulls(api_client, manager):
    response = api_client.get(f"/api/v1/employees/{manager.public_id}/?select=manager,manager_id")

    assert response.json() == {"id": str(manager.public_id), "manager_id": None, "manager": None}


def test_retrieve_with_select_returns_only_those_fields_and_id(api_client, ada):
    response = api_client.get(f"/api/v1/employees/{ada.public_id}/?select=given_name,department")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": str(ada.public_id),
        "given_name": "Ada",
        "department": "Engineering",
    }


@pytest.mark.parametrize("identifier", ["6f1c2a9e-3b7d-4c1e-9a52-0d8e4f7b1c33", "not-a-uuid", "12"])
def test_retrieve_unknown_or_malformed_id_is_404(api_client, identifier):
    response = api_client.get(f"/api/v1/employees/{identifier}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


def test_deleted_employee_is_not_found_and_not_listed(api_client):
    deleted = EmployeeFactory(deleted_at=timezone.now(), active=False)

    assert api_client.get(f"/api/v1/employees/{deleted.public_id}/").status_code == 404
    assert api_client.get("/api/v1/employees/").json()["count"] == 0


def test_retrieve_refuses_list_parameters(api_client, ada):
    response = api_client.get(f"/api/v1/employees/{ada.public_id}/?sort=given_name")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "The request is invalid: sort.",
        "errors": {"sort": ["Unknown parameter. Allowed: select."]},
    }


def test_list_envelope_with_default_order(api_client, ada, manager):
    inactive = EmployeeFactory(given_name="Zed", family_name="Adams", active=False)

    response = api_client.get("/api/v1/employees/?select=family_name,active")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 3,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [
            {"id": str(inactive.public_id), "family_name": "Adams", "active": False},
            {"id": str(ada.public_id), "family_name": "Lovelace", "active": True},
            {"id": str(manager.public_id), "family_name": "Manager", "active": True},
        ],
    }


def test_list_results_have_the_same_shape_as_retrieve(api_client, ada):
    listed = api_client.get("/api/v1/employees/?filter[user_name]=ada.lovelace@contoso.com")
    retrieved = api_client.get(f"/api/v1/employees/{ada.public_id}/")

    assert listed.json()["results"] == [retrieved.json()]


def test_reports_lists_direct_reports_only(api_client, ada, manager):
    grand_report = EmployeeFactory(manager=ada, family_name="Babbage")
    other = EmployeeFactory(manager=manager, family_name="Curie", department="Research")
    EmployeeFactory(manager=manager, deleted_at=timezone.now(), active=False)

    response = api_client.get(f"/api/v1/employees/{manager.public_id}/reports/?select=id")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 2,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [{"id": str(other.public_id)}, {"id": str(ada.public_id)}],
    }
    assert grand_report.public_id not in {r["id"] for r in response.json()["results"]}


def test_reports_take_filters_and_sort(api_client, ada, manager):
    curie = EmployeeFactory(manager=manager, family_name="Curie", department="Research")

    response = api_client.get(
        f"/api/v1/employees/{manager.public_id}/reports/"
        "?select=family_name&filter[department]=research&sort=-family_name"
    )

    assert response.json()["results"] == [{"id": str(curie.public_id), "family_name": "Curie"}]


def test_reports_of_unknown_employee_is_404(api_client):
    response = api_client.get(f"/api/v1/employees/{uuid.uuid4()}/reports/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_head_is_answered_like_get_without_body(api_client, ada):
    response = api_client.head("/api/v1/employees/")

    assert response.status_code == HTTPStatus.OK
    assert response.content == b""


@pytest.mark.parametrize("method", ["put", "delete"])
def test_put_and_delete_are_not_allowed(api_client, ada, method):
    response = getattr(api_client, method)(f"/api/v1/employees/{ada.public_id}/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["code"] == "method_not_allowed"


def test_unknown_api_url_is_a_json_404(api_client):
    response = api_client.get("/api/v1/projects/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


def test_missing_trailing_slash_is_pointed_out(api_client):
    response = api_client.get("/api/v1/employees")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["detail"] == "Not found. Did you mean /api/v1/employees/ ?"


def test_id_with_a_dot_is_a_json_404(api_client):
    response = api_client.get("/api/v1/employees/a.b/reports/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"
