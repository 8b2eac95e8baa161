"""The start and end dates in Alexis's extension: what Entra's employeeHireDate and
employeeLeaveDateTime mappings send, in every shape, and the errors for bad values."""

import datetime as dt
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from custom_fields.models import CustomField
from custom_fields.selectors import custom_field_definitions
from custom_fields.services import custom_field_create
from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import CORE, ENT, entra_create_body, error_body

pytestmark = pytest.mark.django_db

ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"
START = f"{ALEXIS}:startDate"
END = f"{ALEXIS}:endDate"


def _dates(employee):
    employee.refresh_from_db()
    return employee.start_date, employee.end_date


def test_an_entra_post_with_hire_and_leave_dates_creates_the_employee_with_them(scim):
    # Entra sends the extension's attributes without naming the URN in `schemas`.
    body = entra_create_body(
        "joiner@contoso.com",
        **{ALEXIS: {"startDate": "2027-01-04T00:00:00Z", "endDate": "2027-12-31T00:00:00Z"}},
    )
    assert body["schemas"] == [CORE, ENT]

    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED, created.json()
    resource = created.json()
    assert resource["schemas"] == [CORE, ALEXIS]
    assert resource[ALEXIS] == {
        "startDate": "2027-01-04T00:00:00Z",
        "endDate": "2027-12-31T00:00:00Z",
    }
    employee = Employee.objects.get(user_name="joiner@contoso.com")
    assert _dates(employee) == (dt.date(2027, 1, 4), dt.date(2027, 12, 31))
    assert scim.get(f"Users/{employee.public_id}").json()[ALEXIS] == resource[ALEXIS]


def test_a_user_without_dates_is_answered_without_the_extension(scim):
    employee = EmployeeFactory(start_date=None, end_date=None)

    resource = scim.get(f"Users/{employee.public_id}").json()

    assert ALEXIS not in resource
    assert ALEXIS not in resource["schemas"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("2027-01-04", dt.date(2027, 1, 4)),
        ("2027-01-04T00:00:00Z", dt.date(2027, 1, 4)),
        ("2027-01-04T00:00:00.000Z", dt.date(2027, 1, 4)),
        # The date as written: the time of day and the offset are not converted.
        ("2027-01-04T00:00:00+01:00", dt.date(2027, 1, 4)),
        ("2027-01-04T23:30:00-08:00", dt.date(2027, 1, 4)),
        ("2027-01-03T23:00:00Z", dt.date(2027, 1, 3)),
    ],
)
def test_a_date_or_a_date_time_keeps_the_date_as_written(scim, sent, kept):
    body = entra_create_body("joiner@contoso.com", **{ALEXIS: {"startDate": sent}})

    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED, created.json()
    assert created.json()[ALEXIS] == {"startDate": f"{kept.isoformat()}T00:00:00Z"}
    assert Employee.objects.get().start_date == kept


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Add", "path": START, "value": "2027-03-01T00:00:00Z"},
        {"op": "Replace", "path": START, "value": "2027-03-01T00:00:00Z"},
        {"op": "replace", "path": START.lower(), "value": "2027-03-01"},
        {"op": "Replace", "path": f"{ALEXIS}.startDate", "value": "2027-03-01T00:00:00Z"},
        {"op": "Replace", "path": "startDate", "value": "2027-03-01T00:00:00Z"},
        # aadOptscim062020: a path-less replace whose keys are the attributes' paths.
        {"op": "replace", "value": {START: "2027-03-01T00:00:00Z"}},
        {"op": "replace", "value": {ALEXIS: {"startDate": "2027-03-01T00:00:00Z"}}},
        {"op": "Add", "path": ALEXIS, "value": {"startDate": "2027-03-01T00:00:00Z"}},
    ],
    ids=lambda op: f"{op['op']} {op.get('path', 'pathless')}",
)
def test_patch_sets_the_start_date_in_every_shape_entra_sends(scim, operation):
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), end_date=None)

    response = scim.patch_ops(employee.public_id, operation)

    assert response.status_code == HTTPStatus.OK, response.json()
    assert response.json()[ALEXIS] == {"startDate": "2027-03-01T00:00:00Z"}
    assert _dates(employee) == (dt.date(2027, 3, 1), None)


def test_patch_sets_and_removes_the_end_date(scim):
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), end_date=None)

    set_end = scim.patch_ops(
        employee.public_id, {"op": "Add", "path": END, "value": "2027-06-30T00:00:00Z"}
    )
    assert set_end.status_code == HTTPStatus.OK, set_end.json()
    assert _dates(employee) == (dt.date(2027, 1, 4), dt.date(2027, 6, 30))

    removed = scim.patch_ops(employee.public_id, {"op": "Remove", "path": END})
    assert removed.status_code == HTTPStatus.OK, removed.json()
    assert removed.json()[ALEXIS] == {"startDate": "2027-01-04T00:00:00Z"}
    assert _dates(employee) == (dt.date(2027, 1, 4), None)


@pytest.mark.parametrize(
    "value", ["next monday", "2027-13-01", "2027-01-04T25:00:00Z", "04/01/2027", 20270104, True]
)
def test_a_bad_date_is_a_400_naming_the_attribute_and_nothing_changes(scim, value):
    employee = EmployeeFactory(title="Engineer", start_date=dt.date(2027, 1, 4), end_date=None)

    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "Lead"},
        {"op": "Replace", "path": START, "value": value},
    )

    assert (response.status_code, response.json()) == (
        HTTPStatus.BAD_REQUEST,
        error_body(
            400,
            f"{START} must be a date (2027-01-04) or a dateTime (2027-01-04T00:00:00Z).",
            "invalidValue",
        ),
    )
    employee.refresh_from_db()
    assert (employee.title, employee.start_date) == ("Engineer", dt.date(2027, 1, 4))


def test_a_post_with_a_bad_date_creates_no_one(scim):
    body = entra_create_body("bad@contoso.com", **{ALEXIS: {"endDate": "soon"}})

    response = scim.post("Users", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert response.json()["detail"].startswith(f"{END} must be a date")
    assert not Employee.objects.exists()


def test_an_end_date_before_the_start_date_is_a_400_naming_the_end_date(scim):
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), end_date=None)

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": END, "value": "2026-12-31T00:00:00Z"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert response.json()["detail"].startswith(f"{END}: ")
    assert _dates(employee) == (dt.date(2027, 1, 4), None)


def test_a_put_without_the_dates_keeps_the_dates_hr_set(scim):
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 9, 30))

    response = scim.put(f"Users/{employee.public_id}", entra_create_body(employee.user_name))

    assert response.status_code == HTTPStatus.OK, response.json()
    assert _dates(employee) == (dt.date(2027, 1, 4), dt.date(2027, 9, 30))


def test_a_put_with_the_dates_sets_them(scim):
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), end_date=None)
    body = entra_create_body(
        employee.user_name,
        **{ALEXIS: {"startDate": "2027-02-01T00:00:00Z", "endDate": "2027-08-31"}},
    )

    response = scim.put(f"Users/{employee.public_id}", body)

    assert response.status_code == HTTPStatus.OK, response.json()
    assert _dates(employee) == (dt.date(2027, 2, 1), dt.date(2027, 8, 31))


def test_filters_and_sorting_compare_the_dates(scim):
    early = EmployeeFactory(user_name="early@contoso.com", start_date=dt.date(2027, 1, 4))
    late = EmployeeFactory(user_name="late@contoso.com", start_date=dt.date(2027, 3, 1))
    EmployeeFactory(user_name="none@contoso.com", start_date=None)

    def found(text):
        response = scim.get(f"Users?filter={quote(text)}&sortBy={quote(START)}")
        assert response.status_code == HTTPStatus.OK, response.json()
        return [r["userName"] for r in response.json()["Resources"]]

    assert found(f'{START} eq "2027-01-04T00:00:00Z"') == [early.user_name]
    assert found(f'{START} ge "2027-01-05"') == [late.user_name]
    assert found(f"{START} pr") == [early.user_name, late.user_name]
    assert found('startDate lt "2027-03-01T00:00:00Z"') == [early.user_name]
    bad = scim.get("Users?filter=" + quote(f'{START} eq "soon"'))
    assert (bad.status_code, bad.json()["scimType"]) == (HTTPStatus.BAD_REQUEST, "invalidFilter")


def test_custom_fields_cannot_take_the_names_of_the_dates():
    for name in ("startDate", "ENDDATE"):
        with pytest.raises(ValidationError) as refused:
            custom_field_create(name=name)
        assert refused.value.message_dict["name"] == [
            f"{name} is already an employee field in Alexis (the start and end dates "
            "provisioning sends); choose another name."
        ]
    assert not CustomField.objects.exists()


def test_a_custom_field_named_like_a_date_before_alexis_had_it_is_left_out(scim):
    CustomField.objects.create(name="startDate", label="Start (old field)")
    custom_field_definitions.forget()
    employee = EmployeeFactory(start_date=dt.date(2027, 1, 4), custom_fields={"startDate": "x"})

    resource = scim.get(f"Users/{employee.public_id}").json()

    assert resource[ALEXIS] == {"startDate": "2027-01-04T00:00:00Z"}
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    assert [a["name"] for a in schemas[ALEXIS]["attributes"]] == ["startDate", "endDate"]
