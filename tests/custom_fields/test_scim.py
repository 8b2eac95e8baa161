"""Custom fields over SCIM: Alexis's extension schema, POST, GET, filter, sort, PATCH, errors."""

from http import HTTPStatus

import pytest

from custom_fields.models import FieldType
from custom_fields.services import custom_field_create, custom_field_delete
from employees.models import Employee
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import CORE, ENT, Scim, entra_create_body

pytestmark = pytest.mark.django_db

ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


@pytest.fixture
def fields(badge_color, salary_band, first_aider, badge_expiry):
    return {"badge_color": badge_color, "salary_band": salary_band}


def test_schemas_and_resource_types_list_the_extension(scim, fields):
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    attributes = {a["name"]: a for a in schemas[ALEXIS]["attributes"]}
    assert attributes["badgeColor"] == {
        "name": "badgeColor",
        "type": "string",
        "multiValued": False,
        "description": attributes["badgeColor"]["description"],
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        "canonicalValues": ["Red", "Green", "Blue"],
    }
    assert attributes["salaryBand"]["type"] == "decimal"
    assert attributes["badgeExpiry"]["type"] == "dateTime"
    assert attributes["firstAider"]["type"] == "boolean"
    user_type = next(r for r in scim.get("ResourceTypes").json()["Resources"] if r["id"] == "User")
    assert {"schema": ALEXIS, "required": False} in user_type["schemaExtensions"]


def test_without_custom_fields_the_extension_holds_the_dates(scim):
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    assert [a["name"] for a in schemas[ALEXIS]["attributes"]] == ["startDate", "endDate"]


def test_post_and_get_round_trip(scim, fields):
    body = entra_create_body(
        "badge.holder@contoso.com",
        schemas=[CORE, ENT],  # Entra does not list extension schemas it sends
        **{
            ALEXIS: {
                "badgeColor": "green",
                "salaryBand": "7",
                "firstAider": "True",
                "badgeExpiry": "2027-05-01T00:00:00Z",
            }
        },
    )
    created = scim.post("Users", body)
    assert created.status_code == HTTPStatus.CREATED
    employee = Employee.objects.get(user_name="badge.holder@contoso.com")
    assert employee.custom_fields == {
        "badgeColor": "Green",
        "salaryBand": 7,
        "firstAider": True,
        "badgeExpiry": "2027-05-01",
    }
    expected = {
        "badgeColor": "Green",
        "salaryBand": 7,
        "firstAider": True,
        "badgeExpiry": "2027-05-01T00:00:00Z",
    }
    assert created.json()[ALEXIS] == expected
    read = scim.get(f"Users/{employee.public_id}").json()
    assert read[ALEXIS] == expected
    assert ALEXIS in read["schemas"]
    change = employee.changes.get()
    assert change.channel == "scim"
    assert change.changes["custom_fields.badgeColor"] == [None, "Green"]


def test_filter_by_custom_fields(scim, fields):
    red = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 3})
    blue = EmployeeFactory(custom_fields={"badgeColor": "Blue", "salaryBand": 8})
    EmployeeFactory()

    def found(expression):
        response = scim.get(f"Users?filter={expression}")
        assert response.status_code == HTTPStatus.OK, response.json()
        return {r["id"] for r in response.json()["Resources"]}

    assert found(f'{ALEXIS}:badgeColor eq "red"') == {str(red.public_id)}
    assert found('badgeColor eq "Blue"') == {str(blue.public_id)}
    assert found(f"{ALEXIS}:salaryBand gt 5") == {str(blue.public_id)}
    assert found(f"{ALEXIS}:badgeColor pr") == {str(red.public_id), str(blue.public_id)}
    assert found(f'{ALEXIS}:badgeColor eq "Purple"') == set()


def test_sort_by_a_custom_field(scim, fields):
    EmployeeFactory(custom_fields={"salaryBand": 9}, user_name="nine@contoso.com")
    EmployeeFactory(custom_fields={"salaryBand": 2}, user_name="two@contoso.com")
    response = scim.get(f"Users?filter={ALEXIS}:salaryBand pr&sortBy={ALEXIS}:salaryBand")
    assert [r["userName"] for r in response.json()["Resources"]] == [
        "two@contoso.com",
        "nine@contoso.com",
    ]


def test_a_filter_with_a_bad_value_is_invalid_filter(scim, fields):
    response = scim.get(f'Users?filter={ALEXIS}:salaryBand gt "lots"')
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["scimType"] == "invalidFilter"
    assert "salaryBand" in body["detail"]


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Replace", "path": f"{ALEXIS}:badgeColor", "value": "Blue"},
        {"op": "Add", "path": f"{ALEXIS}:badgeColor", "value": "blue"},
        {"op": "replace", "value": {f"{ALEXIS}:badgeColor": "Blue"}},
        {"op": "replace", "path": ALEXIS, "value": {"badgeColor": "Blue"}},
    ],
)
def test_patch_sets_a_custom_field_in_every_shape(scim, fields, operation):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 1})
    response = scim.patch_ops(
        employee.public_id, operation, {"op": "Replace", "path": "title", "value": "Lead"}
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    employee.refresh_from_db()
    assert employee.custom_fields == {"badgeColor": "Blue", "salaryBand": 1}
    assert employee.title == "Lead"
    assert response.json()[ALEXIS]["badgeColor"] == "Blue"


def test_patch_remove_clears_a_custom_field(scim, fields):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 1})
    response = scim.patch_ops(employee.public_id, {"op": "remove", "path": f"{ALEXIS}:badgeColor"})
    assert response.status_code == HTTPStatus.OK
    employee.refresh_from_db()
    assert employee.custom_fields == {"salaryBand": 1}


def test_a_bad_value_is_a_400_naming_the_attribute_and_nothing_changes(scim, fields):
    employee = EmployeeFactory(title="Engineer", custom_fields={"badgeColor": "Red"})
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "Lead"},
        {"op": "Replace", "path": f"{ALEXIS}:badgeColor", "value": "Purple"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["scimType"] == "invalidValue"
    assert body["detail"] == f"{ALEXIS}:badgeColor: Choose one of: Red, Green, Blue."
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == ("Engineer", {"badgeColor": "Red"})


def test_a_post_with_a_bad_number_names_the_attribute(scim, fields):
    body = entra_create_body("bad@contoso.com", **{ALEXIS: {"salaryBand": "lots"}})
    response = scim.post("Users", body)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["detail"] == f"{ALEXIS}:salaryBand: Enter a number."
    assert not Employee.objects.filter(user_name="bad@contoso.com").exists()


def test_a_put_without_the_extension_keeps_the_values(scim, fields):
    employee = EmployeeFactory(custom_fields={"salaryBand": 4})
    body = entra_create_body(employee.user_name)
    response = scim.put(f"Users/{employee.public_id}", body)
    assert response.status_code == HTTPStatus.OK
    employee.refresh_from_db()
    assert employee.custom_fields == {"salaryBand": 4}


def test_a_deleted_field_is_ignored_and_noted_not_rejected(scim, fields, badge_color):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red"})
    custom_field_delete(field=badge_color)
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": f"{ALEXIS}:badgeColor", "value": "Blue"},
        {"op": "Replace", "path": "title", "value": "Lead"},
    )
    assert response.status_code == HTTPStatus.OK
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == ("Lead", {})
    event = ProvisioningEvent.objects.latest("id")
    assert event.not_kept == [f"{ALEXIS}:badgeColor"]


def test_definitions_cost_no_query_per_request(scim, fields, django_assert_max_num_queries):
    EmployeeFactory(user_name="red@contoso.com", custom_fields={"badgeColor": "Red"})
    scim.get("Schemas")  # reads the definitions, kept for a moment

    # token, stamp, employees, teams, log: as without custom fields
    with django_assert_max_num_queries(5):
        found = scim.get(f'Users?filter={ALEXIS}:badgeColor eq "red"')

    assert [r["userName"] for r in found.json()["Resources"]] == ["red@contoso.com"]


def _alexis_attribute_names(scim):
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    return [a["name"] for a in schemas[ALEXIS]["attributes"]]


def test_a_field_defined_a_moment_ago_is_known_at_once(scim):
    assert "shoeSize" not in _alexis_attribute_names(scim)

    custom_field_create(name="shoeSize", field_type=FieldType.NUMBER)

    assert _alexis_attribute_names(scim) == ["startDate", "endDate", "shoeSize"]
    assert scim.get(f"Users?filter={ALEXIS}:shoeSize gt 40").status_code == HTTPStatus.OK


def test_a_required_field_is_published_as_required(scim, fields):
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    required = {a["name"]: a["required"] for a in schemas[ALEXIS]["attributes"]}
    assert (required["salaryBand"], required["badgeColor"]) == (True, False)


@pytest.mark.parametrize("extension", [None, {"badgeColor": "Red"}, {"salaryBand": None}])
def test_a_post_without_a_required_field_is_a_400_naming_it(scim, fields, extension):
    body = entra_create_body("no.band@contoso.com")
    if extension is not None:
        body[ALEXIS] = extension
    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "400",
        "scimType": "invalidValue",
        "detail": f"{ALEXIS}:salaryBand is required.",
    }
    assert not Employee.objects.filter(user_name="no.band@contoso.com").exists()


def test_patch_may_not_clear_a_required_field(scim, fields):
    employee = EmployeeFactory(title="Engineer", custom_fields={"salaryBand": 4})
    for operation in (
        {"op": "remove", "path": f"{ALEXIS}:salaryBand"},
        {"op": "replace", "path": f"{ALEXIS}:salaryBand", "value": None},
        {"op": "replace", "value": {f"{ALEXIS}:salaryBand": ""}},
    ):
        response = scim.patch_ops(
            employee.public_id, {"op": "replace", "path": "title", "value": "Lead"}, operation
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST, operation
        assert response.json()["detail"] == f"{ALEXIS}:salaryBand is required."
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == ("Engineer", {"salaryBand": 4})


def test_updates_that_leave_a_required_field_out_are_accepted(scim, fields):
    # Employees from before the field was required keep being updated by Entra.
    employee = EmployeeFactory(title="Engineer", custom_fields={})
    patched = scim.patch_ops(
        employee.public_id, {"op": "replace", "path": "title", "value": "Lead"}
    )
    replaced = scim.put(f"Users/{employee.public_id}", entra_create_body(employee.user_name))

    assert (patched.status_code, replaced.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    employee.refresh_from_db()
    assert employee.custom_fields == {}
