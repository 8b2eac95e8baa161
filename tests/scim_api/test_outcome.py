"""The per-request outcome that the provisioning log will record."""

from http import HTTPStatus

import pytest
from django.test import Client

from audit.models import ChangeAction
from scim_api.outcome import Operation
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, entra_create_body

pytestmark = pytest.mark.django_db


def outcome_of(response):
    return response.wsgi_request.scim_outcome


def test_a_create_records_the_employee_token_and_new_values(scim, scim_token):
    response = scim.post("Users", entra_create_body("new@contoso.com"))

    outcome = outcome_of(response)
    assert (
        outcome.method,
        outcome.path,
        outcome.operation,
        outcome.status,
        outcome.scim_type,
        outcome.token,
        outcome.resource_id,
        outcome.in_transaction,
        outcome.completed,
    ) == (
        "POST",
        "/scim/v2/Users",
        Operation.CREATE,
        HTTPStatus.CREATED,
        None,
        scim_token.token,
        response.json()["id"],
        True,
        True,
    )
    assert outcome.employee.user_name == "new@contoso.com"
    assert outcome.changes["user_name"] == [None, "new@contoso.com"]
    assert outcome.changes["active"] == [None, True]


def test_a_patch_records_old_and_new_values(scim):
    manager = EmployeeFactory()
    employee = EmployeeFactory(title="Old", manager=None)

    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "New"},
        {"op": "Add", "path": f"{ENT}:manager", "value": str(manager.public_id)},
    )

    outcome = outcome_of(response)
    assert (outcome.operation, outcome.status, outcome.employee.pk) == (
        Operation.PATCH,
        HTTPStatus.OK,
        employee.pk,
    )
    # The outcome carries what the service recorded in the change history.
    assert outcome.changes == {"title": ["Old", "New"], "manager": [None, manager.user_name]}
    assert outcome.changes == employee.changes.get(action=ChangeAction.UPDATED).changes


def test_a_failed_write_records_the_error_outside_the_transaction(scim):
    employee = EmployeeFactory(title="Old")

    response = scim.patch_ops(employee.public_id, {"op": "Replace", "path": "shoeSize", "value": 9})

    outcome = outcome_of(response)
    assert (
        outcome.operation,
        outcome.status,
        outcome.scim_type,
        outcome.detail,
        outcome.resource_id,
        outcome.in_transaction,
        outcome.changes,
    ) == (
        Operation.PATCH,
        HTTPStatus.BAD_REQUEST,
        "invalidPath",
        "Unknown attribute path 'shoeSize'.",
        str(employee.public_id),
        False,
        {},
    )


def test_reads_deletes_and_refusals_have_outcomes(scim):
    employee = EmployeeFactory()

    listed = outcome_of(scim.get('Users?filter=userName eq "x"'))
    deleted = outcome_of(scim.delete(f"Users/{employee.public_id}"))
    refused = outcome_of(Client().get("/scim/v2/Users"))

    assert (listed.operation, listed.status, listed.in_transaction) == (
        Operation.LIST,
        HTTPStatus.OK,
        False,
    )
    assert (deleted.operation, deleted.status, deleted.changes, deleted.in_transaction) == (
        Operation.DELETE,
        HTTPStatus.NO_CONTENT,
        employee.changes.get(action=ChangeAction.DELETED).changes,
        True,
    )
    assert deleted.changes["active"] == [True, False]
    assert (refused.status, refused.token, refused.operation) == (
        HTTPStatus.UNAUTHORIZED,
        None,
        None,
    )


def test_a_manager_change_records_both_managers(scim):
    old, new = EmployeeFactory(), EmployeeFactory()
    employee = EmployeeFactory(manager=old)

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": f"{ENT}:manager", "value": str(new.public_id)}
    )

    assert outcome_of(response).changes == {"manager": [old.user_name, new.user_name]}
