"""Bad input that used to reach a 500 is a 4xx in the endpoint's own error format."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def assert_api_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]
    return body


def test_an_api_body_over_the_upload_limit_is_a_413_json_error(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api_client.post(
        "/api/v1/employees/", {"user_name": "a@contoso.com", "notes": "x" * 2000}, format="json"
    )

    assert_api_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request_too_large")
    assert not Employee.objects.exists()


def test_deeply_nested_json_to_the_api_is_a_400_parse_error(api_client):
    depth = 100_000
    raw = "[" * depth + "]" * depth

    response = api_client.generic(
        "POST", "/api/v1/employees/", raw, content_type="application/json"
    )

    assert_api_error(response, HTTPStatus.BAD_REQUEST, "parse_error")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", '"\\u0000"'),
        ("title", '"a\\ud800"'),
        # A choice field repeats a refused value in its message: that used to be a 500.
        ("employment_type", '"\\ud800"'),
    ],
)
def test_nul_and_lone_surrogates_in_api_bodies_are_400_and_name_the_field(api_client, field, value):
    employee = EmployeeFactory(title="Engineer")
    raw = "{" + f'"{field}": ' + value + "}"

    response = api_client.generic(
        "PATCH", f"/api/v1/employees/{employee.public_id}/", raw, content_type="application/json"
    )

    body = assert_api_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    assert list(body["errors"]) == [field]
    employee.refresh_from_db()
    assert employee.title == "Engineer"


def test_a_nul_in_an_api_query_parameter_is_a_400_json_error(api_client):
    response = api_client.get("/api/v1/employees/?filter[title]=a%00")

    body = assert_api_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["errors"] == {"filter[title]": ["filter[title] must not contain NUL characters."]}
