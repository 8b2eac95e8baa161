"""Attributes Alexis does not keep never fail an update: accepted, ignored and logged."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, entra_create_body

pytestmark = pytest.mark.django_db

CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"


@pytest.fixture
def employee():
    return EmployeeFactory(user_name="grace@contoso.com", title="Engineer")


def last_event():
    return ProvisioningEvent.objects.order_by("-id").first()


@pytest.mark.parametrize(
    ("path", "value", "noted"),
    [
        ("nickName", "Babs", "nickName"),
        ("preferredLanguage", "en-US", "preferredLanguage"),
        ('addresses[type eq "work"].locality', "Redmond", 'addresses[type eq "work"].locality'),
        (f"{CUSTOM}:CustomAttribute", "x", f"{CUSTOM}:CustomAttribute"),
        (
            "urn:example:params:scim:schemas:custom:2.0:User:shoeSize",
            "9",
            "urn:example:params:scim:schemas:custom:2.0:User:shoeSize",
        ),
        (
            'phoneNumbers[type eq "mobile"].value',
            "+16175550000",
            'phoneNumbers[type eq "mobile"].value',
        ),
        ("name.middleName", "Murray", "name.middleName"),
    ],
)
def test_a_patch_path_alexis_does_not_keep_is_ignored_and_the_mapped_change_applies(
    scim, employee, path, value, noted
):
    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "Rear Admiral"},
        {"op": "Add", "path": path, "value": value},
    )

    assert response.status_code == HTTPStatus.OK, response.json()
    assert Employee.objects.get(pk=employee.pk).title == "Rear Admiral"
    event = last_event()
    assert (event.status, event.not_kept, event.changes) == (
        200,
        [noted],
        {"title": ["Engineer", "Rear Admiral"]},
    )
    assert event.warnings == [
        f"Entra sent {noted}, which Alexis does not keep: map it to a custom field or remove "
        "the mapping."
    ]


def test_a_path_less_patch_ignores_what_alexis_does_not_keep(scim, employee):
    response = scim.patch_ops(
        employee.public_id,
        {
            "op": "replace",
            "value": {
                "title": "Rear Admiral",
                "nickName": "Babs",
                f"{CUSTOM}:CustomAttribute": "x",
                CUSTOM: {"Other": "y"},
                ENT: {"department": "Navy"},
                "urn:ietf:params:scim:schemas:core:2.0:User:locale": "en-US",
            },
        },
    )

    assert response.status_code == HTTPStatus.OK, response.json()
    employee.refresh_from_db()
    assert (employee.title, employee.department) == ("Rear Admiral", "Navy")
    assert last_event().not_kept == [
        "nickName",
        f"{CUSTOM}:CustomAttribute",
        f"{CUSTOM}:Other",
        "urn:ietf:params:scim:schemas:core:2.0:User:locale",
    ]


def test_an_unknown_enterprise_attribute_in_a_path_less_patch_is_400(scim, employee):
    response = scim.patch_ops(
        employee.public_id, {"op": "replace", "value": {ENT: {"departmnt": "Navy"}}}
    )

    assert (response.status_code, response.json()["scimType"]) == (400, "invalidPath")


def test_post_and_put_ignore_and_note_what_alexis_does_not_keep(scim):
    body = entra_create_body(
        nickName="Amazing Grace",
        addresses=[{"type": "work", "locality": "Arlington"}],
        roles=[],
        **{CUSTOM: {"CustomAttribute": "x", "Empty": ""}},
    )

    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED, created.json()
    assert last_event().not_kept == ["nickName", "addresses", f"{CUSTOM}:CustomAttribute"]
    assert CUSTOM not in created.json() and "nickName" not in created.json()

    body["title"] = "Rear Admiral"
    replaced = scim.put(f"Users/{created.json()['id']}", body)

    assert replaced.status_code == HTTPStatus.OK
    assert replaced.json()["title"] == "Rear Admiral"
    assert last_event().not_kept == ["nickName", "addresses", f"{CUSTOM}:CustomAttribute"]


def test_a_request_that_sends_only_kept_attributes_notes_nothing(scim, employee):
    scim.patch_ops(employee.public_id, {"op": "Replace", "path": "title", "value": "X"})

    assert last_event().not_kept == []
    assert last_event().warnings == []


def test_the_log_summarises_what_was_not_kept(scim, employee, owner_client):
    for title in ("A", "B"):
        scim.patch_ops(
            employee.public_id,
            {"op": "Replace", "path": "title", "value": title},
            {"op": "Add", "path": "nickName", "value": "Babs"},
        )
    scim.patch_ops(employee.public_id, {"op": "Add", "path": f"{CUSTOM}:Badge", "value": "1"})

    page = owner_client.get("/provisioning/").content.decode()

    assert "Attributes sent that Alexis does not keep" in page
    assert '<code>nickName</code> <span class="muted">(2 requests)</span>' in page
    assert f'<code>{CUSTOM}:Badge</code> <span class="muted">(1 request)</span>' in page
    event = last_event()
    detail = owner_client.get(f"/provisioning/{event.pk}/").content.decode()
    assert f"Entra sent {CUSTOM}:Badge, which Alexis does not keep" in detail
