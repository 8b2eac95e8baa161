"""Public API of time off: leave types, balances, requests (list, filter, create for oneself,
approve and deny with the write scope)."""

import datetime as dt
import itertools
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from accounts.roles import OWNER
from audit.actor import Actor
from audit.models import Channel
from tests.factories import TeamFactory
from time_off.accrual import accrue
from time_off.models import Status, TimeOffRequest, TimeOffRequestChange
from time_off.services import request_create

pytestmark = pytest.mark.django_db

NAMES = itertools.count()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def client_for(user, scopes=(Scope.API_READ, Scope.API_WRITE)):
    """A client with a token the person created (only owners create tokens)."""
    user.groups.add(Group.objects.get(name=OWNER))
    token = access_token_create(name=f"Script {next(NAMES)}", scopes=list(scopes), created_by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    return client


@pytest.fixture
def pending(worker, vacation, policy):
    accrue(today=dt.date(2026, 12, 2))
    return request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2026, 12, 25),
        actor=Actor(channel=Channel.WEB, user=worker.user),
    )


def test_leave_types_and_balances(api_client, vacation, pending, worker):
    response = api_client.get("/api/v1/time-off/leave-types/")
    assert response.json() == {
        "count": 1,
        "results": [
            {
                "id": str(vacation.public_id),
                "name": "Vacation",
                "unit": "days",
                "paid": True,
                "needs_approval": True,
                "needs_reason": False,
                "needs_attachment": False,
                "private": False,
                "color": "#2f6fdd",
            }
        ],
    }
    response = api_client.get(f"/api/v1/time-off/balances/?employee={worker.public_id}")
    body = response.json()
    assert (body["count"], body["results"][0]["amount"]) == (1, "23.00")


def test_requests_are_filtered_by_person_team_manager_and_dates(
    api_client, pending, worker, manager_user
):
    team = TeamFactory(members=[worker])
    for query, count in [
        (f"employee={worker.public_id}", 1),
        (f"manager={manager_user.employee.public_id}", 1),
        (f"team={team.public_id}", 1),
        ("start=2026-12-25&end=2027-01-10", 1),
        ("start=2026-12-26", 0),
        ("status=approved", 0),
    ]:
        body = api_client.get(f"/api/v1/time-off/requests/?{query}").json()
        assert body["count"] == count, query
    row = api_client.get("/api/v1/time-off/requests/").json()["results"][0]
    assert row == {
        "id": str(pending.public_id),
        "employee": str(worker.public_id),
        "employee_user_name": "will.worker@contoso.com",
        "leave_type": str(pending.leave_type.public_id),
        "leave_type_name": "Vacation",
        "start_date": "2026-12-23",
        "end_date": "2026-12-25",
        "starts_at_noon": False,
        "ends_at_noon": False,
        "hours": None,
        "amount": "2.00",
        "status": "pending",
        "note": "",
        "attachment": None,
        "approver": "maria.manager@contoso.com",
        "decision_comment": "",
        "decided_at": None,
        "created_at": row["created_at"],
    }


def test_bad_filters_are_400(api_client):
    response = api_client.get("/api/v1/time-off/requests/?start=tomorrow&limit=0")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["errors"]) == {"start", "limit"}


def test_create_for_the_token_owner_and_refusals(worker, vacation, policy):
    accrue(today=dt.date(2026, 12, 2))
    client = client_for(worker.user)
    body = {
        "leave_type": str(vacation.public_id),
        "start_date": "2026-12-28",
        "end_date": "2026-12-29",
    }

    response = client.post("/api/v1/time-off/requests/", body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert (response.json()["employee"], response.json()["amount"]) == (
        str(worker.public_id),
        "2.00",
    )
    change = TimeOffRequestChange.objects.get()
    assert (change.channel, change.actor_user) == (Channel.API, worker.user)
    again = client.post("/api/v1/time-off/requests/", body, format="json")
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert again.json()["errors"] == {
        "start_date": ["These dates overlap your pending vacation from 28 Dec 2026 to 29 Dec 2026."]
    }


def test_a_token_without_an_employee_cannot_ask(api_client, vacation):
    response = api_client.post(
        "/api/v1/time-off/requests/",
        {
            "leave_type": str(vacation.public_id),
            "start_date": "2026-12-28",
            "end_date": "2026-12-28",
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_manager_approves_and_denies_with_write_scope(pending, manager_user, worker):
    read_only = client_for(manager_user, scopes=[Scope.API_READ])
    url = f"/api/v1/time-off/requests/{pending.public_id}/approve/"
    assert read_only.post(url, {}, format="json").status_code == HTTPStatus.FORBIDDEN

    own = client_for(worker.user)
    assert own.post(url, {}, format="json").status_code == HTTPStatus.FORBIDDEN

    response = client_for(manager_user).post(url, {"comment": "Enjoy"}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "approved"
    assert TimeOffRequest.objects.get().status == Status.APPROVED
    again = client_for(manager_user).post(
        f"/api/v1/time-off/requests/{pending.public_id}/deny/", {"comment": "No"}, format="json"
    )
    assert again.status_code == HTTPStatus.BAD_REQUEST
    missing = client_for(manager_user).post(
        "/api/v1/time-off/requests/not-an-id/approve/", {}, format="json"
    )
    assert missing.status_code == HTTPStatus.NOT_FOUND
