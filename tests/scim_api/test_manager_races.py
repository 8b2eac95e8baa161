"""Manager changes racing each other on PostgreSQL: no cycle is ever stored, no 5xx answered."""

import threading
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection, connections
from django.test import Client

from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, PATCH_OP
from tests.scim_api.test_concurrency import run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers are exercised on PostgreSQL (see test_concurrency.py)",
    ),
]

ROUNDS = 10
MANAGER = f"{ENT}:manager"


def set_manager(employee, manager):
    return (
        "patch",
        f"/scim/v2/Users/{employee.public_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": MANAGER, "value": str(manager.public_id)}],
        },
    )


def cycles():
    """Return the employees whose manager chain comes back to them."""
    managers = dict(Employee.objects.values_list("pk", "manager_id"))
    found = []
    for start in managers:
        seen, current = set(), managers[start]
        while current is not None and current not in seen:
            if current == start:
                found.append(start)
                break
            seen.add(current)
            current = managers[current]
    return found


def assert_no_5xx(responses):
    assert [r.status_code for r in responses if r.status_code >= 500] == []


def test_two_patches_that_together_close_a_three_cycle_never_both_succeed(scim_token):
    for round_number in range(ROUNDS):
        a, b, c = (EmployeeFactory(user_name=f"{n}{round_number}@contoso.com") for n in "abc")
        Employee.objects.filter(pk=a.pk).update(manager=b)

        responses = run_concurrently(scim_token.plaintext, [set_manager(b, c), set_manager(c, a)])

        assert_no_5xx(responses)
        assert sorted(r.status_code for r in responses) == [HTTPStatus.OK, HTTPStatus.BAD_REQUEST]
        refused = next(r for r in responses if r.status_code == HTTPStatus.BAD_REQUEST).json()
        assert refused["scimType"] == "invalidValue"
        assert "cycle" in refused["detail"]
        assert cycles() == []


def test_two_employees_made_each_others_manager_at_once(scim_token):
    for round_number in range(ROUNDS):
        a, b = (EmployeeFactory(user_name=f"{n}{round_number}@contoso.com") for n in "ab")

        responses = run_concurrently(scim_token.plaintext, [set_manager(a, b), set_manager(b, a)])

        assert_no_5xx(responses)
        assert sorted(r.status_code for r in responses) == [HTTPStatus.OK, HTTPStatus.BAD_REQUEST]
        assert cycles() == []


def test_a_title_patch_racing_a_manager_patch_answers_the_current_manager(scim_token):
    for round_number in range(ROUNDS):
        old, new = (
            EmployeeFactory(user_name=f"{n}{round_number}@contoso.com", display_name=n)
            for n in ("old", "new")
        )
        # Half the rounds start with no manager, half with another one.
        employee = EmployeeFactory(
            user_name=f"racer{round_number}@contoso.com",
            manager=old if round_number % 2 else None,
        )
        title = (
            "patch",
            f"/scim/v2/Users/{employee.public_id}",
            {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "replace", "path": "title", "value": f"T{round_number}"}],
            },
        )

        responses = run_concurrently(scim_token.plaintext, [title, set_manager(employee, new)])

        assert_no_5xx(responses)
        assert [r.status_code for r in responses] == [HTTPStatus.OK, HTTPStatus.OK]
        stored = Employee.objects.get(pk=employee.pk)
        assert (stored.title, stored.manager_id) == (f"T{round_number}", new.pk)
        for response in responses:
            body = response.json()
            # The answer shows the row as that request left it, manager and version alike.
            if body["meta"]["version"] == f'W/"{stored.version}"':
                assert body[ENT]["manager"]["value"] == str(new.public_id)
                assert body[ENT]["manager"]["displayName"] == "new"
                assert body["title"] == f"T{round_number}"


def test_a_web_edit_losing_a_manager_race_gets_a_field_error(scim_token, hr_admin):
    for round_number in range(ROUNDS):
        a, b, c = (EmployeeFactory(user_name=f"{n}{round_number}@contoso.com") for n in "abc")
        Employee.objects.filter(pk=a.pk).update(manager=b)
        form = {
            "given_name": c.given_name,
            "family_name": c.family_name,
            "display_name": c.display_name,
            "user_name": c.user_name,
            "work_email": c.work_email,
            "title": c.title,
            "department": c.department,
            "manager": a.user_name,
            "version": 1,
        }
        barrier = threading.Barrier(2)

        def web_edit(employee=c, data=form, wait=barrier):
            client = Client()
            client.force_login(hr_admin)
            wait.wait()
            try:
                return client.post(f"/employees/{employee.public_id}/edit/", data)
            finally:
                connections.close_all()

        def scim_patch(employee=b, manager=c, wait=barrier):
            client = Client(HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}")
            _method, path, body = set_manager(employee, manager)
            wait.wait()
            try:
                return client.patch(path, body, content_type="application/scim+json")
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=2) as pool:
            web = pool.submit(web_edit)
            scim = pool.submit(scim_patch)
            responses = [web.result(), scim.result()]

        assert_no_5xx(responses)
        assert cycles() == []
        web_response, scim_response = responses
        if scim_response.status_code == HTTPStatus.OK:
            # The form lost: it is shown again with the cycle beside the manager field.
            assert web_response.status_code == HTTPStatus.OK
            assert "a cycle" in web_response.content.decode()
        else:
            assert web_response.status_code == HTTPStatus.FOUND
