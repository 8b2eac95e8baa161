"""PUT /Users/{id} replaces the resource, validated like POST; ETags guard it (RFC 7644 §3.5.1)."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, entra_create_body, error_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee():
    return EmployeeFactory(
        user_name="grace@contoso.com",
        title="Admiral",
        department="Navy",
        work_phone="+16175551212",
        external_id="ext",
    )


def test_put_replaces_every_attribute_and_clears_the_absent_ones(scim, employee):
    body = entra_create_body("GRACE@contoso.com", displayName="G. Hopper")

    response = scim.put(f"Users/{employee.public_id}", body)

    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert data["userName"] == "GRACE@contoso.com"
    assert "title" not in data and "phoneNumbers" not in data and ENT not in data
    employee = Employee.objects.get(pk=employee.pk)
    assert (
        employee.user_name,
        employee.display_name,
        employee.title,
        employee.department,
        employee.work_phone,
        employee.external_id,
    ) == ("GRACE@contoso.com", "G. Hopper", "", "", "", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")


def test_put_validates_like_post(scim, employee):
    body = entra_create_body(name={"givenName": "Grace"})

    response = scim.put(f"Users/{employee.public_id}", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(400, "name.familyName is required.", "invalidValue")
    assert Employee.objects.get(pk=employee.pk).title == "Admiral"


def test_put_with_a_taken_user_name_is_409(scim, employee):
    EmployeeFactory(user_name="taken@contoso.com")

    response = scim.put(f"Users/{employee.public_id}", entra_create_body("Taken@Contoso.com"))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["scimType"] == "uniqueness"


def test_put_with_a_misspelled_attribute_ignores_it(scim, employee):
    response = scim.put(f"Users/{employee.public_id}", entra_create_body(emial="x"))

    assert response.status_code == HTTPStatus.OK


def test_get_sends_the_etag_and_a_stale_if_match_is_412(scim, employee):
    url = f"Users/{employee.public_id}"
    etag = scim.get(url)["ETag"]
    assert etag == 'W/"1"'
    assert (
        scim.patch_ops(
            employee.public_id, {"op": "replace", "path": "title", "value": "A"}, HTTP_IF_MATCH=etag
        ).status_code
        == HTTPStatus.OK
    )

    stale_put = scim.put(url, entra_create_body(), HTTP_IF_MATCH=etag)
    stale_patch = scim.patch_ops(
        employee.public_id, {"op": "replace", "path": "title", "value": "B"}, HTTP_IF_MATCH=etag
    )
    stale_delete = scim.delete(url, HTTP_IF_MATCH=etag)

    for response in (stale_put, stale_patch, stale_delete):
        assert response.status_code == HTTPStatus.PRECONDITION_FAILED
        assert response.json() == error_body(
            412, "The user changed since it was read (If-Match failed)."
        )
    employee = Employee.objects.get(pk=employee.pk)
    assert (employee.title, employee.version, employee.deleted_at) == ("A", 2, None)
    assert scim.put(url, entra_create_body(), HTTP_IF_MATCH='W/"2"').status_code == HTTPStatus.OK
    assert scim.delete(url, HTTP_IF_MATCH="*").status_code == HTTPStatus.NO_CONTENT
