"""The OpenAPI schema and the interactive docs page."""

from http import HTTPStatus

import pytest
import yaml
from django.conf import settings
from openapi_spec_validator import validate

from public_api.filters import FILTER_FIELDS, SORT_FIELDS, TEAM_FILTER_FIELDS, TEAM_SORT_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == HTTPStatus.OK
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_is_served_as_json_on_request(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/json")
    validate(response.json())


def test_schema_lists_exactly_the_public_api(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == {
        ("/api/v1/employees/", "get"),
        ("/api/v1/employees/", "post"),
        ("/api/v1/employees/{id}/", "get"),
        ("/api/v1/employees/{id}/", "patch"),
        ("/api/v1/employees/{id}/reports/", "get"),
        ("/api/v1/employees/{id}/teams/", "get"),
        ("/api/v1/departments/", "get"),
        ("/api/v1/teams/", "get"),
        ("/api/v1/teams/{id}/", "get"),
        ("/api/v1/teams/{id}/members/", "get"),
        ("/api/v1/time-off/leave-types/", "get"),
        ("/api/v1/time-off/balances/", "get"),
        ("/api/v1/time-off/requests/", "get"),
        ("/api/v1/time-off/requests/", "post"),
        ("/api/v1/time-off/requests/{id}/approve/", "post"),
        ("/api/v1/time-off/requests/{id}/deny/", "post"),
        ("/api/v1/time-off/requests/{id}/attachment/", "get"),
        ("/api/v1/checklists/", "get"),
        ("/api/v1/checklists/{id}/", "get"),
        ("/api/v1/checklist-tasks/", "get"),
        ("/api/v1/checklist-tasks/{id}/complete/", "post"),
    }


def test_schema_declares_bearer_auth_on_every_operation(schema):
    assert schema["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{"accessToken": []}]
            assert {"401", "403", "429"} <= set(operation["responses"])


def test_schema_documents_every_filter_and_sort(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/employees/"]["get"]["parameters"]}
    for spec in FILTER_FIELDS.values():
        assert f"filter[{spec.name}]" in parameters
        for operator in spec.operators:
            assert f"filter[{spec.name}][{operator}]" in parameters
    sort_values = parameters["sort"]["schema"]["items"]["enum"]
    assert set(sort_values) == set(SORT_FIELDS) | {f"-{name}" for name in SORT_FIELDS}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["filter[start_date][gte]"]["schema"] == {"type": "string", "format": "date"}


@pytest.mark.parametrize("path", ["/api/v1/teams/", "/api/v1/employees/{id}/teams/"])
def test_schema_documents_every_team_filter_and_sort(schema, path):
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    for spec in TEAM_FILTER_FIELDS.values():
        assert parameters[f"filter[{spec.name}]"]["description"].startswith("Only teams whose")
        for operator in spec.operators:
            assert f"filter[{spec.name}][{operator}]" in parameters
    assert "filter[department]" not in parameters
    sort_values = parameters["sort"]["schema"]["items"]["enum"]
    assert set(sort_values) == set(TEAM_SORT_FIELDS) | {f"-{name}" for name in TEAM_SORT_FIELDS}


def test_schema_describes_teams_as_read_only_and_members_as_employees(schema):
    team = schema["components"]["schemas"]["Team"]
    assert team["required"] == ["id"]
    assert set(team["properties"]) == {
        "id",
        "display_name",
        "external_id",
        "member_count",
        "last_synced_at",
        "created_at",
        "updated_at",
    }
    assert all(field.get("readOnly") for field in team["properties"].values())
    assert "TeamRequest" not in schema["components"]["schemas"]
    members = schema["paths"]["/api/v1/teams/{id}/members/"]["get"]
    page = members["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/EmployeePage"
    assert members["responses"]["404"]["description"] == "No team has this id."


def test_schema_describes_the_employee_and_its_writes(schema):
    components = schema["components"]["schemas"]
    assert components["Employee"]["required"] == ["id"]
    assert components["EmployeeRequest"]["required"] == [
        "family_name",
        "given_name",
        "user_name",
        "work_email",
    ]
    assert components["EmployeeRequest"]["additionalProperties"] is False
    assert "id" not in components["EmployeeRequest"]["properties"]
    assert "manager" not in components["PatchedEmployeeRequest"]["properties"]
    assert components["PatchedEmployeeRequest"].get("required") is None


def test_schema_needs_no_token_and_ignores_a_bad_one(client):
    response = client.get("/api/v1/schema/", HTTP_AUTHORIZATION="Bearer nonsense")

    assert response.status_code == HTTPStatus.OK


def test_docs_page_loads_local_assets_under_the_strict_policy(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "<style" not in html
    assert "style=" not in html
    assert (
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in html
    )
    assert '<script src="/api/v1/docs/?script="></script>' in html
    assert "<script>" not in html
    assert 'href="/static/css/api-docs.css"' in html


def test_docs_init_script_points_at_the_schema(client):
    response = client.get("/api/v1/docs/?script=")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in response.content.decode()
