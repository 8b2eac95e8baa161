"""Custom fields in the public API and its OpenAPI schema."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employees.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_read_returns_every_defined_field(api_client, badge_color, salary_band, badge_expiry):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red", "badgeExpiry": "2027-01-31"})
    body = api_client.get(f"/api/v1/employees/{employee.public_id}/?select=custom_fields").json()
    assert body == {
        "id": str(employee.public_id),
        "custom_fields": {"badgeColor": "Red", "salaryBand": None, "badgeExpiry": "2027-01-31"},
    }


def test_list_reads_definitions_once(api_client, badge_color, django_assert_max_num_queries):
    EmployeeFactory.create_batch(30, custom_fields={"badgeColor": "Blue"})
    with django_assert_max_num_queries(11):
        body = api_client.get("/api/v1/employees/?select=custom_fields").json()
    assert {row["custom_fields"]["badgeColor"] for row in body["results"]} == {"Blue"}


def test_patch_changes_only_the_fields_given_with_history(
    api_client, api_token, badge_color, salary_band
):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 2})
    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/",
        {"custom_fields": {"salaryBand": 3.5}},
        format="json",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["custom_fields"] == {"badgeColor": "Red", "salaryBand": 3.5}
    employee.refresh_from_db()
    assert employee.custom_fields == {"badgeColor": "Red", "salaryBand": 3.5}
    change = employee.changes.get()
    assert (change.channel, change.actor_token) == ("api", api_token.token)
    assert change.changes == {"custom_fields.salaryBand": [2, 3.5]}


def test_bad_values_are_json_errors_naming_each_field(api_client, badge_color, salary_band):
    employee = EmployeeFactory()
    response = api_client.patch(
        f"/api/v1/employees/{employee.public_id}/",
        {"custom_fields": {"badgeColor": "Purple", "salaryBand": None, "shoeSize": 44}},
        format="json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {
        "custom_fields.badgeColor": ["Choose one of: Red, Green, Blue."],
        "custom_fields.salaryBand": ["This field is required."],
        "custom_fields.shoeSize": ["There is no custom field with this name."],
    }
    employee.refresh_from_db()
    assert employee.custom_fields == {}


def test_create_requires_required_custom_fields(api_client, salary_band):
    body = {
        "user_name": "new@contoso.com",
        "given_name": "New",
        "family_name": "Person",
        "work_email": "new@contoso.com",
    }
    response = api_client.post("/api/v1/employees/", body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"custom_fields.salaryBand": ["This field is required."]}
    body["custom_fields"] = {"salaryBand": 1}
    response = api_client.post("/api/v1/employees/", body, format="json")
    assert response.status_code == HTTPStatus.CREATED
    assert Employee.objects.get(user_name="new@contoso.com").custom_fields == {"salaryBand": 1}


def test_openapi_schema_describes_the_defined_fields(client, badge_color, salary_band, first_aider):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for component in ("Employee", "PatchedEmployeeRequest"):
        custom = schema["components"]["schemas"][component]["properties"]["custom_fields"]
        assert custom["type"] == "object"
        assert custom["additionalProperties"] is False
        properties = custom["properties"]
        assert properties["badgeColor"]["enum"] == ["Red", "Green", "Blue", None]
        assert properties["salaryBand"]["type"] == "number"
        assert properties["salaryBand"]["description"] == "Salary band (HR only, required)."
        assert properties["firstAider"]["type"] == "boolean"


@pytest.fixture
def badge_holders(badge_color, salary_band, badge_expiry):
    red = EmployeeFactory(
        user_name="red@contoso.com",
        custom_fields={"badgeColor": "Red", "salaryBand": 3, "badgeExpiry": "2027-01-31"},
    )
    blue = EmployeeFactory(
        user_name="blue@contoso.com",
        custom_fields={"badgeColor": "Blue", "salaryBand": 8, "badgeExpiry": "2026-06-30"},
    )
    EmployeeFactory(user_name="none@contoso.com")
    return red, blue


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter[custom_fields.badgeColor]=red", ["red@contoso.com"]),
        ("filter[custom_fields.badgeColor][in]=Blue,Green", ["blue@contoso.com"]),
        ("filter[custom_fields.badgeColor][isnull]=true", ["none@contoso.com"]),
        ("filter[custom_fields.salaryBand][gte]=5", ["blue@contoso.com"]),
        ("filter[custom_fields.salaryBand]=3", ["red@contoso.com"]),
        ("filter[custom_fields.badgeExpiry][lt]=2027-01-01", ["blue@contoso.com"]),
        (
            "filter[custom_fields.salaryBand][isnull]=false&filter[custom_fields.badgeColor]=Red",
            ["red@contoso.com"],
        ),
    ],
)
def test_list_filters_by_custom_fields(api_client, badge_holders, query, expected):
    response = api_client.get(f"/api/v1/employees/?{query}&select=user_name")

    assert response.status_code == HTTPStatus.OK, response.json()
    assert [e["user_name"] for e in response.json()["results"]] == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("filter[custom_fields.badgeColor]=Purple", "Choose one of: Red, Green, Blue."),
        ("filter[custom_fields.salaryBand][gte]=lots", "Enter a number."),
        (
            "filter[custom_fields.badgeColor][gte]=Red",
            "Unknown operator 'gte' for custom_fields.badgeColor. Operators: in, isnull.",
        ),
        ("filter[custom_fields.badgeColor]=", "Give a value, or use [isnull] for empty ones."),
    ],
)
def test_bad_custom_field_filters_are_400_naming_the_parameter(
    api_client, badge_holders, query, message
):
    response = api_client.get(f"/api/v1/employees/?{query}")

    parameter = query.split("=")[0]
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {parameter: [message]}


def test_an_undefined_custom_field_is_an_unknown_filter(api_client, badge_color):
    response = api_client.get("/api/v1/employees/?filter[custom_fields.shoeSize]=9")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    [message] = response.json()["errors"]["filter[custom_fields.shoeSize]"]
    assert message.startswith("Unknown field 'custom_fields.shoeSize'. Filterable: id,")
    assert message.endswith(", custom_fields.badgeColor.")


def test_only_custom_field_filters_read_the_definitions(api_client, badge_holders):
    def definition_reads(query):
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(f"/api/v1/employees/?{query}").status_code == HTTPStatus.OK
        return sum("custom_fields_customfield" in q["sql"] for q in queries.captured_queries)

    assert definition_reads("filter[title][contains]=e&select=id") == 0
    assert definition_reads("filter[custom_fields.badgeColor]=Red&select=id") == 1


def test_openapi_schema_lists_the_custom_field_filters(client, badge_color, salary_band):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/v1/employees/"]["get"]
    parameters = {p["name"]: p for p in listing["parameters"]}

    assert parameters["filter[custom_fields.badgeColor]"]["schema"]["enum"] == [
        "Red",
        "Green",
        "Blue",
    ]
    assert parameters["filter[custom_fields.salaryBand][gte]"]["schema"] == {"type": "number"}
    assert "filter[custom_fields.salaryBand][contains]" not in parameters
