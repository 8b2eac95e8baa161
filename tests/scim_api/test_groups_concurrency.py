"""Concurrent Entra group requests: one team per name, and no lost membership change."""

from http import HTTPStatus

import pytest
from django.db import connection

from teams.models import Team, TeamChange, TeamMembership
from tests.factories import EmployeeFactory, TeamFactory
from tests.scim_api.conftest import PATCH_OP

# role_groups is an autouse fixture: importing it applies it here too.
from tests.scim_api.test_concurrency import role_groups, run_concurrently  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent writers need PostgreSQL (see test_concurrency.py).",
    ),
]


def test_concurrent_creates_of_one_name_yield_one_team(scim_token):
    names = ["Night Shift", "night shift", "NIGHT SHIFT", "Night shift", "nIGHT sHIFT"] * 2

    responses = run_concurrently(
        scim_token.plaintext, [("post", "/scim/v2/Groups", {"displayName": n}) for n in names]
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [HTTPStatus.CREATED] + [HTTPStatus.CONFLICT] * 9
    assert {r.json()["scimType"] for r in responses if r.status_code == HTTPStatus.CONFLICT} == {
        "uniqueness"
    }
    assert Team.objects.filter(display_name__iexact="night shift").count() == 1


def test_concurrent_member_patches_lose_no_change(scim_token):
    people = EmployeeFactory.create_batch(8)
    team = TeamFactory(members=people[:4])

    def body(op, employee):
        value = [{"value": str(employee.public_id)}]
        return {
            "schemas": [PATCH_OP],
            "Operations": [{"op": op, "path": "members", "value": value}],
        }

    requests = [("patch", f"/scim/v2/Groups/{team.public_id}", body("Add", e)) for e in people[4:]]
    requests += [
        ("patch", f"/scim/v2/Groups/{team.public_id}", body("Remove", e)) for e in people[:4]
    ]

    responses = run_concurrently(scim_token.plaintext, requests)

    assert [r.status_code for r in responses] == [HTTPStatus.NO_CONTENT] * 8
    assert set(TeamMembership.objects.filter(team=team).values_list("employee_id", flat=True)) == {
        e.pk for e in people[4:]
    }
    team.refresh_from_db()
    assert team.version == 9
    assert TeamChange.objects.filter(team=team).count() == 8
