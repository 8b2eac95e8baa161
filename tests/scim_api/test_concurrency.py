"""Concurrent Entra requests: one winner per user name, and no lost PATCH (PostgreSQL)."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.test import Client

from accounts.roles import HR_ADMIN, OWNER
from employees.models import Employee, EmployeeChange
from organisation.models import Department
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, PATCH_OP, entra_create_body

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "SQLite's in-memory test database is shared between threads through a shared "
            "cache, whose table locks fail at once instead of waiting, so concurrent writers "
            "cannot be exercised there; production concurrency is PostgreSQL's."
        ),
    ),
]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Recreate the role groups: an earlier transactional test may have flushed them."""
    for name in (OWNER, HR_ADMIN):
        Group.objects.get_or_create(name=name)


def run_concurrently(token, requests):
    """Send (method, path, body) requests from one thread each, released together."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        method, path, body = request
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        barrier.wait()
        try:
            return getattr(client, method)(
                path, json.dumps(body), content_type="application/scim+json"
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def test_twenty_concurrent_creates_of_one_user_name_yield_exactly_one_201(scim_token):
    names = [
        "".join(c.upper() if (i >> (k % 8)) & 1 else c for k, c in enumerate("racer@contoso.com"))
        for i in range(20)
    ]
    assert len(set(names)) == 20

    responses = run_concurrently(
        scim_token.plaintext,
        [("post", "/scim/v2/Users", entra_create_body(name)) for name in names],
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [HTTPStatus.CREATED] + [HTTPStatus.CONFLICT] * 19
    for response in responses:
        if response.status_code == HTTPStatus.CONFLICT:
            assert response.json()["scimType"] == "uniqueness"
    assert Employee.objects.filter(user_name__iexact="racer@contoso.com").count() == 1


def test_concurrent_patches_of_one_employee_lose_no_update(scim_token):
    employee = EmployeeFactory(user_name="busy@contoso.com", title="", department="")
    fields = {
        "title": "Engineer",
        "displayName": "Busy Bee",
        "externalId": "ext-busy",
        f"{ENT}:department": "R&D",
        f"{ENT}:costCenter": "CC-1",
        f"{ENT}:division": "Labs",
        f"{ENT}:organization": "Contoso",
        f"{ENT}:employeeNumber": "E-77",
        'phoneNumbers[type eq "work"].value': "+16175551212",
        "name.givenName": "Busy",
    }
    requests = [
        (
            "patch",
            f"/scim/v2/Users/{employee.public_id}",
            {"schemas": [PATCH_OP], "Operations": [{"op": "Replace", "path": p, "value": v}]},
        )
        for p, v in fields.items()
    ]

    responses = run_concurrently(scim_token.plaintext, requests)

    assert [r.status_code for r in responses] == [HTTPStatus.OK] * len(fields)
    employee = Employee.objects.get(pk=employee.pk)
    assert (
        employee.title,
        employee.display_name,
        employee.external_id,
        employee.department,
        employee.cost_center,
        employee.division,
        employee.organization,
        employee.employee_number,
        employee.work_phone,
        employee.given_name,
    ) == tuple(fields.values())
    assert employee.version == 1 + len(fields)
    assert EmployeeChange.objects.filter(employee=employee).count() == len(fields)


def test_concurrent_patches_naming_one_new_department_all_succeed(scim_token):
    # Entra's first cycle sends the same new department for many users at once: each request
    # finds no such department, one creates it, and the others use it instead of answering 500.
    people = [EmployeeFactory(department="") for _ in range(8)]
    operation = {"op": "Add", "path": f"{ENT}:department", "value": "Quantum Research"}
    requests = [
        (
            "patch",
            f"/scim/v2/Users/{person.public_id}",
            {"schemas": [PATCH_OP], "Operations": [operation]},
        )
        for person in people
    ]

    responses = run_concurrently(scim_token.plaintext, requests)

    assert [r.status_code for r in responses] == [HTTPStatus.OK] * len(people)
    departments = Department.objects.filter(name="Quantum Research")
    assert departments.count() == 1
    assert set(
        Employee.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "department_record", flat=True
        )
    ) == {departments.get().pk}
