"""Bad input that used to reach a 500 is a 4xx in the endpoint's own error format."""

import json
from http import HTTPStatus

import pytest

from employees.models import Employee
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ERROR, entra_create_body

pytestmark = pytest.mark.django_db


def assert_scim_error(response, status, scim_type=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type:
        assert body.get("scimType") == scim_type
    event = ProvisioningEvent.objects.latest("id")
    assert event.status == status
    return body


@pytest.mark.parametrize(
    "filter_text",
    [
        r'userName eq "a\u0000b"',
        r'userName eq "\ud800"',
        r'userName eq "x\udc00y"',
        r'displayName co "\ud800" and active eq true',
    ],
)
def test_a_json_escaped_nul_or_lone_surrogate_in_a_filter_is_invalid_filter(scim, filter_text):
    response = scim.get("Users", data={"filter": filter_text})

    body = assert_scim_error(response, HTTPStatus.BAD_REQUEST, "invalidFilter")
    assert "filter" in body["detail"]


def test_an_escaped_surrogate_pair_in_a_filter_is_a_character_and_accepted(scim):
    EmployeeFactory(user_name="smile\U0001f600@contoso.com")

    response = scim.get("Users", data={"filter": r'userName eq "smile\ud83d\ude00@contoso.com"'})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["totalResults"] == 1


def test_a_nul_in_a_search_body_filter_is_invalid_filter(scim):
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName eq "a\x00"',
    }

    assert_scim_error(scim.post("Users/.search", body), HTTPStatus.BAD_REQUEST, "invalidFilter")


@pytest.mark.parametrize("attribute", ["userName", "displayName", "title"])
def test_a_lone_surrogate_in_a_posted_string_is_invalid_value_and_logged(scim, attribute):
    raw = json.dumps(entra_create_body()).replace(
        '"userName": "',
        f'"{attribute}": "\\ud800", "userName": "'
        if attribute != "userName"
        else '"userName": "\\ud800',
    )

    body = assert_scim_error(
        scim.post("Users", raw.encode()), HTTPStatus.BAD_REQUEST, "invalidValue"
    )

    assert attribute in body["detail"]
    assert not Employee.objects.exists()
    event = ProvisioningEvent.objects.get()
    assert event.operation == "refused"


def test_a_lone_surrogate_in_a_patch_value_changes_nothing(scim):
    employee = EmployeeFactory(title="Engineer")
    raw = (
        '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": '
        '[{"op": "replace", "path": "title", "value": "Boss\\udfff"}]}'
    )

    body = assert_scim_error(
        scim.patch(f"Users/{employee.public_id}", raw.encode()),
        HTTPStatus.BAD_REQUEST,
        "invalidValue",
    )

    assert "Operations" in body["detail"]
    employee.refresh_from_db()
    assert employee.title == "Engineer"


@pytest.mark.parametrize("name", ["startIndex", "count"])
@pytest.mark.parametrize("value", ["²", "١٢", "1²"])
def test_non_ascii_digits_in_paging_parameters_are_invalid_value(scim, name, value):
    response = scim.get("Users", data={name: value})

    body = assert_scim_error(response, HTTPStatus.BAD_REQUEST, "invalidValue")
    assert name in body["detail"]


def test_a_nul_in_a_scim_query_parameter_is_refused_and_logged(scim):
    response = scim.get("Users?attributes=userName%00")

    body = assert_scim_error(response, HTTPStatus.BAD_REQUEST, "invalidValue")
    assert "attributes" in body["detail"]


def test_a_scim_body_over_the_upload_limit_is_a_413_scim_error(scim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = entra_create_body(displayName="x" * 2000)

    body = assert_scim_error(scim.post("Users", body), HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    assert not Employee.objects.exists()
