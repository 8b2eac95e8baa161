"""PATCH /Users/{id} in every shape Entra ID sends (RFC 7644 §3.5.2)."""

from http import HTTPStatus

import pytest

from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import CORE, ENT, HOST, error_body, iso

pytestmark = pytest.mark.django_db

MANAGER_PATH = f"{ENT}:manager"


@pytest.fixture
def employee():
    return EmployeeFactory(
        user_name="grace@contoso.com",
        given_name="Grace",
        family_name="Hopper",
        display_name="Grace Hopper",
        work_email="grace@contoso.com",
        title="",
        department="",
        external_id="ext-1",
    )


@pytest.fixture
def manager():
    return EmployeeFactory(user_name="ada@contoso.com", display_name="Ada Lovelace")


def refreshed(employee):
    return Employee.objects.select_related("manager").get(pk=employee.pk)


def test_documented_multi_valued_patch_answers_200_with_the_whole_resource(
    scim, employee, scim_token
):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@contoso.com"},
        {"op": "Replace", "path": "name.familyName", "value": "Murray"},
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    location = f"{HOST}/scim/v2/Users/{employee.public_id}"
    assert response["ETag"] == 'W/"2"'
    assert response.json() == {
        "schemas": [CORE],
        "id": str(employee.public_id),
        "externalId": "ext-1",
        "userName": "grace@contoso.com",
        "name": {"givenName": "Grace", "familyName": "Murray", "formatted": "Grace Murray"},
        "displayName": "Grace Hopper",
        "active": True,
        "emails": [{"value": "new@contoso.com", "type": "work", "primary": True}],
        "meta": {
            "resourceType": "User",
            "created": iso(employee.created_at),
            "lastModified": iso(employee.updated_at),
            "location": location,
            "version": 'W/"2"',
        },
    }
    change = EmployeeChange.objects.filter(employee=employee).get()
    assert (change.action, change.channel, change.actor_token_id, change.changes) == (
        ChangeAction.UPDATED,
        Channel.SCIM,
        scim_token.token.pk,
        {
            "work_email": ["grace@contoso.com", "new@contoso.com"],
            "family_name": ["Hopper", "Murray"],
        },
    )


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "replace", "path": "active", "value": False},
        {"op": "REPLACE", "path": "active", "value": "false"},
        {"op": "replace", "value": {"active": False}},
    ],
)
def test_disable_in_every_shape_deactivates_and_keeps_the_record(scim, employee, operation):
    response = scim.patch_ops(employee.public_id, operation)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["active"] is False
    employee = refreshed(employee)
    assert (employee.active, employee.deleted_at) == (False, None)
    assert EmployeeChange.objects.get(employee=employee).action == ChangeAction.DEACTIVATED
    assert scim.get(f"Users/{employee.public_id}").json()["active"] is False
    listed = scim.get('Users?filter=userName eq "grace@contoso.com"').json()
    assert [r["active"] for r in listed["Resources"]] == [False]


def test_disable_never_conflicts_and_re_enable_brings_the_employee_back(scim, employee):
    # Another live employee cannot make a disable fail, whatever else the record holds.
    EmployeeFactory(user_name="other@contoso.com")
    assert (
        scim.patch_ops(
            employee.public_id, {"op": "Replace", "path": "active", "value": "False"}
        ).status_code
        == HTTPStatus.OK
    )

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": "active", "value": "True"}
    )

    assert response.status_code == HTTPStatus.OK
    assert refreshed(employee).active is True
    assert list(
        EmployeeChange.objects.filter(employee=employee).values_list("action", flat=True)
    ) == [ChangeAction.REACTIVATED, ChangeAction.DEACTIVATED]


def test_flag_style_pathless_replace_with_dotted_and_urn_keys(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "m@contoso.com"},
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                f"{ENT}:employeeNumber": "Aklq",
            },
        },
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    assert (
        employee.work_email,
        employee.display_name,
        employee.given_name,
        employee.family_name,
        employee.employee_number,
    ) == ("m@contoso.com", "Bjfe", "Kkom", "Unua", "Aklq")
    assert response.json()[ENT] == {"employeeNumber": "Aklq"}


def test_legacy_verbose_replace_of_many_attributes(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "displayName", "value": "Pvlo"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "T@test.example"},
        {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
        {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
        {"op": "Replace", "path": "externalId", "value": "Eqpj"},
        {"op": "Replace", "path": f"{ENT}:employeeNumber", "value": "Eqpj"},
        {"op": "Add", "path": "title", "value": "Engineer"},
        {"op": "Add", "path": f"{ENT}:department", "value": "R&D"},
        {"op": "Add", "path": f"{ENT}:costCenter", "value": "CC1"},
        {"op": "Add", "path": f"{ENT}:division", "value": "Div"},
        {"op": "Add", "path": f"{ENT}:organization", "value": "Org"},
        {"op": "Replace", "path": "userName", "value": "Renamed@Contoso.com"},
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    assert (
        employee.display_name,
        employee.work_email,
        employee.given_name,
        employee.family_name,
        employee.external_id,
        employee.employee_number,
        employee.title,
        employee.department,
        employee.cost_center,
        employee.division,
        employee.organization,
        employee.user_name,
    ) == (
        "Pvlo",
        "T@test.example",
        "Gtfd",
        "Pkqf",
        "Eqpj",
        "Eqpj",
        "Engineer",
        "R&D",
        "CC1",
        "Div",
        "Org",
        "Renamed@Contoso.com",
    )
    assert EmployeeChange.objects.filter(employee=employee).count() == 1


def test_nested_objects_in_a_pathless_replace(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {
            "op": "replace",
            "value": {
                "name": {"givenName": "Anna", "familyName": "Lee"},
                ENT: {"department": "Sales", "division": "EMEA"},
            },
        },
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    assert (employee.given_name, employee.family_name, employee.department, employee.division) == (
        "Anna",
        "Lee",
        "Sales",
        "EMEA",
    )


def test_add_work_phone_creates_it_and_replace_updates_it(scim, employee):
    path = 'phoneNumbers[type eq "work"].value'
    assert scim.patch_ops(
        employee.public_id, {"op": "Add", "path": path, "value": "+16175551212"}
    ).json()["phoneNumbers"] == [{"value": "+16175551212", "type": "work"}]

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": path, "value": "+442071234567"}
    )

    assert response.json()["phoneNumbers"] == [{"value": "+442071234567", "type": "work"}]
    assert refreshed(employee).work_phone == "+442071234567"


def test_other_email_and_phone_types_are_ignored(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Add", "path": 'emails[type eq "home"].value', "value": "g@home.example"},
        {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+16175550000"},
        {"op": "Add", "path": 'addresses[type eq "work"].locality', "value": "Redmond"},
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    assert (employee.work_email, employee.work_phone) == ("grace@contoso.com", "")


@pytest.mark.parametrize(
    "value_of",
    [
        lambda m: str(m.public_id),
        lambda m: {"value": str(m.public_id)},
        lambda m: [{"value": str(m.public_id), "$ref": f"http://x/Users/{m.public_id}"}],
    ],
    ids=["string", "object", "list"],
)
@pytest.mark.parametrize("path", [MANAGER_PATH, "manager", f"{ENT}.manager"])
def test_manager_is_set_from_every_value_shape(scim, employee, manager, value_of, path):
    response = scim.patch_ops(
        employee.public_id, {"op": "Add", "path": path, "value": value_of(manager)}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()[ENT]["manager"] == {
        "value": str(manager.public_id),
        "$ref": f"{HOST}/scim/v2/Users/{manager.public_id}",
        "displayName": "Ada Lovelace",
    }
    assert refreshed(employee).manager_id == manager.pk


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Remove", "path": MANAGER_PATH},
        {"op": "replace", "path": MANAGER_PATH, "value": ""},
        {"op": "replace", "path": MANAGER_PATH, "value": None},
        {"op": "replace", "path": MANAGER_PATH, "value": {"value": ""}},
        {"op": "remove", "path": 'manager[value eq "anything"]'},
    ],
)
def test_manager_is_removed_in_every_shape(scim, employee, manager, operation):
    Employee.objects.filter(pk=employee.pk).update(manager=manager)

    response = scim.patch_ops(employee.public_id, operation)

    assert response.status_code == HTTPStatus.OK
    assert ENT not in response.json()
    assert refreshed(employee).manager is None


def test_unknown_manager_is_400_invalid_value(scim, employee):
    response = scim.patch_ops(
        employee.public_id, {"op": "Add", "path": MANAGER_PATH, "value": "271"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(
        400, "manager: no user with id '271' exists.", "invalidValue"
    )


def test_a_manager_cycle_is_400(scim, employee, manager):
    Employee.objects.filter(pk=manager.pk).update(manager=employee)

    response = scim.patch_ops(
        employee.public_id, {"op": "Add", "path": MANAGER_PATH, "value": str(manager.public_id)}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert refreshed(employee).manager is None


@pytest.mark.parametrize(
    "path",
    [
        "nickName2",
        "name.nick",
        "userNme",
        f"{ENT}:costCentre",
        "urn:ietf:params:scim:schemas:core:2.0:User:userNme",
        'emails[type eq "work"].valu',
        "title..x",
    ],
)
def test_paths_naming_nothing_in_any_schema_are_400_invalid_path(scim, employee, path):
    response = scim.patch_ops(employee.public_id, {"op": "Replace", "path": path, "value": "x"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidPath"


def test_attributes_alexis_does_not_keep_are_ignored(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Add", "path": "nickName", "value": "Babs"},
        {"op": "add", "path": "preferredLanguage", "value": "en-US"},
        {"op": "replace", "path": "name.formatted", "value": "Whatever"},
    )

    assert response.status_code == HTTPStatus.OK
    assert refreshed(employee).version == employee.version


def test_one_bad_operation_rejects_the_whole_request(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "displayName", "value": "Changed"},
        {"op": "Replace", "path": 'phoneNumbers[type eq "work"].value', "value": "555-555"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["detail"].startswith('phoneNumbers[type eq "work"].value:')
    employee_after = refreshed(employee)
    assert (employee_after.display_name, employee_after.version) == (
        "Grace Hopper",
        employee.version,
    )
    assert not EmployeeChange.objects.filter(employee=employee).exists()


def test_a_user_name_change_to_a_taken_one_is_409(scim, employee):
    EmployeeFactory(user_name="taken@contoso.com")

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": "userName", "value": "TAKEN@contoso.com"}
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["scimType"] == "uniqueness"


def test_an_employee_number_held_by_another_employee_is_409_and_nothing_applies(scim, employee):
    EmployeeFactory(user_name="taken@contoso.com", employee_number="E-100")

    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "Changed"},
        {"op": "Add", "path": f"{ENT}:employeeNumber", "value": "E-100"},
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == error_body(
        409,
        f"{ENT}:employeeNumber: An employee with this employee number already exists.",
        "uniqueness",
    )
    assert refreshed(employee).title == employee.title


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "remove", "path": "userName"}, "invalidValue"),
        ({"op": "remove", "path": 'emails[type eq "work"].value'}, "invalidValue"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "copy", "path": "title", "value": "x"}, "invalidSyntax"),
        ({"op": "replace", "path": "id", "value": "x"}, "mutability"),
        ({"op": "replace", "path": "meta.lastModified", "value": "x"}, "mutability"),
        ({"op": "replace", "value": "not an object"}, "invalidValue"),
    ],
)
def test_malformed_operations_are_400(scim, employee, operation, scim_type):
    response = scim.patch_ops(employee.public_id, operation)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == scim_type


def test_an_unchanged_patch_keeps_the_version(scim, employee):
    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": "displayName", "value": "Grace Hopper"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] == f'W/"{employee.version}"'
    assert not EmployeeChange.objects.filter(employee=employee).exists()


def test_patch_of_an_unknown_or_deleted_user_is_404(scim, employee):
    EmployeeFactory(user_name="gone@contoso.com", deleted_at="2026-01-01T00:00:00Z")
    gone = Employee.objects.get(user_name="gone@contoso.com")

    for target in (gone.public_id, "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = scim.patch_ops(target, {"op": "Replace", "path": "title", "value": "x"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["status"] == "404"


def test_the_whole_enterprise_extension_as_path(scim, employee, manager):
    response = scim.patch_ops(
        employee.public_id,
        {
            "op": "add",
            "path": ENT,
            "value": {
                "schemas": [ENT],
                "department": "Labs",
                "costCenter": "CC-9",
                "manager": {"value": str(manager.public_id)},
            },
        },
    )

    assert response.status_code == HTTPStatus.OK
    employee = refreshed(employee)
    assert (employee.department, employee.cost_center, employee.manager_id) == (
        "Labs",
        "CC-9",
        manager.pk,
    )

    removed = scim.patch_ops(employee.public_id, {"op": "remove", "path": ENT})

    assert removed.status_code == HTTPStatus.OK
    assert ENT not in removed.json()
    employee = refreshed(employee)
    assert (employee.department, employee.cost_center, employee.manager) == ("", "", None)
