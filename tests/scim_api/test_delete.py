"""DELETE /Users/{id} soft-deletes: gone for SCIM, kept for HR (RFC 7644 §3.6)."""

from http import HTTPStatus

import pytest

from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import LIST, entra_create_body, error_body

pytestmark = pytest.mark.django_db


def test_delete_is_204_then_404_everywhere_and_the_record_stays_for_hr(scim, scim_token):
    manager = EmployeeFactory(user_name="boss@contoso.com")
    report = EmployeeFactory(user_name="report@contoso.com", manager=manager)
    url = f"Users/{manager.public_id}"

    response = scim.delete(url)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    not_found = error_body(404, f"Resource {manager.public_id} not found.")
    assert scim.get(url).json() == not_found
    assert scim.get(url).status_code == HTTPStatus.NOT_FOUND
    second = scim.delete(url)
    assert (second.status_code, second.json()) == (HTTPStatus.NOT_FOUND, not_found)
    for query in (
        'userName eq "boss@contoso.com"',
        f'id eq "{manager.public_id}"',
        'userName sw "boss"',
    ):
        assert scim.get(f"Users?filter={query}").json() == {
            "schemas": [LIST],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": [],
        }
    kept = Employee.objects.get(pk=manager.pk)
    assert kept.deleted_at is not None and kept.active is False
    change = EmployeeChange.objects.filter(employee=kept).get()
    assert (change.action, change.channel, change.actor_token_id) == (
        ChangeAction.DELETED,
        Channel.SCIM,
        scim_token.token.pk,
    )
    assert Employee.objects.get(pk=report.pk).manager is None


def test_the_user_name_of_a_deleted_user_is_free_again(scim):
    employee = EmployeeFactory(user_name="again@contoso.com")
    scim.delete(f"Users/{employee.public_id}")

    response = scim.post("Users", entra_create_body("Again@contoso.com"))

    assert response.status_code == HTTPStatus.CREATED
    assert Employee.objects.filter(user_name__iexact="again@contoso.com").count() == 2


def test_delete_of_an_unknown_id_is_404(scim):
    for target in ("00000000-0000-0000-0000-000000000000", "5171a35d82074e068ce2"):
        response = scim.delete(f"Users/{target}")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == error_body(404, f"Resource {target} not found.")
