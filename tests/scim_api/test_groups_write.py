"""POST, PUT and DELETE on /Groups: Entra groups become teams (RFC 7644 §3.3, §3.5.1, §3.6)."""

from http import HTTPStatus

import pytest

from employees.models import ChangeAction, Channel
from scim_api.outcome import Operation
from teams.models import Team, TeamChange, TeamMembership
from tests.factories import EmployeeFactory, TeamFactory
from tests.scim_api.conftest import ENTRA_GROUP, GROUP, HOST, error_body, iso

pytestmark = pytest.mark.django_db

BASE = f"{HOST}/scim/v2"


def entra_group_body(display_name="Sales EMEA", **overrides):
    """The body Entra sends to create a group (Microsoft's documented example, our values)."""
    body = {
        "schemas": [GROUP, ENTRA_GROUP],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": display_name,
        "meta": {"resourceType": "Group"},
    }
    body.update(overrides)
    return body


def member_ids(team):
    return set(
        TeamMembership.objects.filter(team=team).values_list("employee__public_id", flat=True)
    )


def test_entras_create_body_makes_an_empty_team(scim, scim_token):
    response = scim.post("Groups", entra_group_body())

    assert response.status_code == HTTPStatus.CREATED
    team = Team.objects.get()
    assert (team.display_name, team.external_id, team.version, team.deleted_at) == (
        "Sales EMEA",
        "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        1,
        None,
    )
    assert team.last_synced_at is not None
    assert response["Location"] == f"{BASE}/Groups/{team.public_id}"
    assert response["ETag"] == 'W/"1"'
    assert response.json() == {
        "schemas": [GROUP],
        "id": str(team.public_id),
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "Sales EMEA",
        "members": [],
        "meta": {
            "resourceType": "Group",
            "created": iso(team.created_at),
            "lastModified": iso(team.updated_at),
            "location": f"{BASE}/Groups/{team.public_id}",
            "version": 'W/"1"',
        },
    }
    change = TeamChange.objects.get(team=team)
    assert (change.action, change.channel, change.actor_token) == (
        ChangeAction.CREATED,
        Channel.SCIM,
        scim_token.token,
    )
    outcome = response.wsgi_request.scim_outcome
    assert (
        outcome.operation,
        outcome.status,
        outcome.team,
        outcome.resource_type,
        outcome.resource_id,
        outcome.in_transaction,
    ) == (Operation.CREATE, HTTPStatus.CREATED, team, "Group", str(team.public_id), True)
    assert outcome.changes == {
        "display_name": [None, "Sales EMEA"],
        "external_id": [None, "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"],
    }


def test_create_with_members(scim):
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", display_name="Ada")
    bob = EmployeeFactory(given_name="Bob", family_name="Builder", display_name="Bob")

    response = scim.post(
        "Groups",
        entra_group_body(
            members=[
                {"value": str(ada.public_id), "display": "ignored"},
                {"value": str(bob.public_id).upper(), "$ref": None},
            ]
        ),
    )

    assert response.status_code == HTTPStatus.CREATED
    team = Team.objects.get()
    assert member_ids(team) == {ada.public_id, bob.public_id}
    assert response.json()["members"] == [
        {
            "value": str(e.public_id),
            "$ref": f"{BASE}/Users/{e.public_id}",
            "display": e.display_name,
            "type": "User",
        }
        for e in (bob, ada)
    ]
    assert response.wsgi_request.scim_outcome.changes["members_added"] == {
        "count": 2,
        "user_names": sorted([ada.user_name, bob.user_name]),
    }


@pytest.mark.parametrize("name", ["Sales EMEA", "sales emea", "SALES EMEA"])
def test_a_duplicate_display_name_is_409_uniqueness(scim, name):
    TeamFactory(display_name="Sales EMEA")

    response = scim.post("Groups", entra_group_body(name))

    assert (response.status_code, response.json()) == (
        HTTPStatus.CONFLICT,
        error_body(409, "displayName: A team with this name already exists.", "uniqueness"),
    )
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"schemas": [GROUP]}, "displayName is required."),
        ({"displayName": ""}, "displayName is required."),
        ({"displayName": 7}, "displayName must be a string."),
        ({"displayName": "x" * 300}, "displayName: Ensure this value has at most 255"),
        ({"displayName": "T", "externalId": ["x"]}, "externalId must be a string."),
        ({"displayName": "T", "members": [{"value": 5}]}, "members: each member needs a value"),
        ({"displayName": "T", "members": [{"value": "nope"}]}, "members: No employee has the id"),
        (
            {"displayName": "T", "members": [{"value": "00000000-0000-0000-0000-000000000001"}]},
            "members: No employee has the id 00000000-0000-0000-0000-000000000001.",
        ),
    ],
)
def test_bad_create_bodies_are_400_invalid_value_and_create_nothing(scim, body, detail):
    EmployeeFactory()

    response = scim.post("Groups", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    payload = response.json()
    assert (payload["status"], payload["scimType"]) == ("400", "invalidValue")
    assert payload["detail"].startswith(detail)
    assert Team.objects.count() == 0
    assert TeamChange.objects.count() == 0


def test_put_replaces_name_external_id_and_members(scim):
    keep, drop, new = EmployeeFactory.create_batch(3)
    team = TeamFactory(display_name="Old", external_id="old", members=[keep, drop])

    response = scim.put(
        f"Groups/{team.public_id}",
        {
            "schemas": [GROUP],
            "displayName": "New",
            "members": [{"value": str(keep.public_id)}, {"value": str(new.public_id)}],
        },
    )

    assert response.status_code == HTTPStatus.OK
    team.refresh_from_db()
    assert (team.display_name, team.external_id, team.version) == ("New", "", 2)
    assert member_ids(team) == {keep.public_id, new.public_id}
    body = response.json()
    assert ("externalId" in body, body["displayName"], body["meta"]["version"]) == (
        False,
        "New",
        'W/"2"',
    )
    assert {m["value"] for m in body["members"]} == {str(keep.public_id), str(new.public_id)}
    change = TeamChange.objects.get(team=team)
    assert change.changes == {
        "display_name": ["Old", "New"],
        "external_id": ["old", ""],
        "members_added": {"count": 1, "user_names": [new.user_name]},
        "members_removed": {"count": 1, "user_names": [drop.user_name]},
    }


def test_put_with_an_unknown_member_changes_nothing(scim):
    keep = EmployeeFactory()
    team = TeamFactory(display_name="Old", members=[keep])

    response = scim.put(
        f"Groups/{team.public_id}",
        {"displayName": "New", "members": [{"value": "00000000-0000-0000-0000-000000000000"}]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    team.refresh_from_db()
    assert (team.display_name, team.version, member_ids(team)) == ("Old", 1, {keep.public_id})


def test_if_match_guards_writes(scim):
    team = TeamFactory(display_name="Old")

    stale = scim.put(f"Groups/{team.public_id}", {"displayName": "New"}, HTTP_IF_MATCH='W/"9"')
    assert (stale.status_code, stale.json()) == (
        HTTPStatus.PRECONDITION_FAILED,
        error_body(412, "The group changed since it was read (If-Match failed)."),
    )
    fresh = scim.put(f"Groups/{team.public_id}", {"displayName": "New"}, HTTP_IF_MATCH='W/"1"')
    assert (fresh.status_code, fresh["ETag"]) == (HTTPStatus.OK, 'W/"2"')
    gone = scim.delete(f"Groups/{team.public_id}", HTTP_IF_MATCH='W/"1"')
    assert gone.status_code == HTTPStatus.PRECONDITION_FAILED


def test_delete_is_204_then_404_and_the_team_is_kept(scim):
    people = EmployeeFactory.create_batch(2)
    team = TeamFactory(display_name="Sales", members=people)

    first = scim.delete(f"Groups/{team.public_id}/")

    assert (first.status_code, first.content) == (HTTPStatus.NO_CONTENT, b"")
    team.refresh_from_db()
    assert team.deleted_at is not None
    assert member_ids(team) == set()
    assert TeamChange.objects.get(team=team).action == ChangeAction.DELETED
    outcome = first.wsgi_request.scim_outcome
    assert (outcome.operation, outcome.team, outcome.resource_type) == (
        Operation.DELETE,
        team,
        "Group",
    )
    for response in (scim.delete(f"Groups/{team.public_id}"), scim.get(f"Groups/{team.public_id}")):
        assert (response.status_code, response.json()) == (
            HTTPStatus.NOT_FOUND,
            error_body(404, f"Resource {team.public_id} not found."),
        )
    # A new group may take the name of a deleted one.
    assert scim.post("Groups", {"displayName": "Sales"}).status_code == HTTPStatus.CREATED


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_need_an_id_and_post_refuses_one(scim, method):
    body = {"displayName": "x"}
    response = (
        scim.delete("Groups") if method == "delete" else getattr(scim, method)("Groups", body)
    )
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    team = TeamFactory()
    assert scim.post(f"Groups/{team.public_id}", body).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_groups_on_user_input_are_ignored(scim):
    team = TeamFactory()
    employee = EmployeeFactory()

    response = scim.patch_ops(
        employee.public_id,
        {"op": "add", "path": "groups", "value": [{"value": str(team.public_id)}]},
    )

    assert response.status_code == HTTPStatus.OK
    assert "groups" not in response.json()
    assert member_ids(team) == set()
