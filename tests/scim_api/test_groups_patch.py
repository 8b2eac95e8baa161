"""PATCH /Groups/{id} in every shape Entra sends (RFC 7644 §3.5.2 and Entra's deviations)."""

import json
from http import HTTPStatus

import pytest

from employees.models import ChangeAction
from teams.models import TeamChange, TeamMembership
from tests.factories import EmployeeFactory, TeamFactory
from tests.scim_api.conftest import GROUP, HOST, PATCH_OP, error_body

pytestmark = pytest.mark.django_db

BASE = f"{HOST}/scim/v2"


@pytest.fixture
def crew():
    """Five employees, the first three of them in the team "Engineering" (external id g-1)."""
    people = EmployeeFactory.create_batch(5)
    team = TeamFactory(display_name="Engineering", external_id="g-1", members=people[:3])
    return team, people


def member_ids(team):
    return set(
        TeamMembership.objects.filter(team=team).values_list("employee__public_id", flat=True)
    )


def ref(employee, **extra):
    return {"value": str(employee.public_id), **extra}


def assert_no_content(response, team, version):
    assert (response.status_code, response.content) == (HTTPStatus.NO_CONTENT, b"")
    assert response["ETag"] == f'W/"{version}"'
    team.refresh_from_db()
    assert team.version == version


def test_entras_add_members(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "Add", "path": "members", "value": [ref(people[3], **{"$ref": None})]},
    )

    assert_no_content(response, team, 2)
    assert member_ids(team) == {e.public_id for e in people[:4]}
    change = TeamChange.objects.get(team=team)
    assert (change.action, change.changes) == (
        ChangeAction.UPDATED,
        {"members_added": {"count": 1, "user_names": [people[3].user_name]}},
    )
    outcome = response.wsgi_request.scim_outcome
    assert (outcome.team, outcome.resource_type, outcome.changes) == (
        team,
        "Group",
        change.changes,
    )


def test_entras_remove_with_a_value_list_removes_only_those(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "Remove", "path": "members", "value": [ref(people[0]), ref(people[1])]},
    )

    assert_no_content(response, team, 2)
    assert member_ids(team) == {people[2].public_id}


def test_remove_with_a_value_filter(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "remove", "path": f'members[value eq "{people[1].public_id}"]'},
    )

    assert_no_content(response, team, 2)
    assert member_ids(team) == {people[0].public_id, people[2].public_id}


def test_remove_with_a_general_value_filter(scim, crew):
    team, people = crew
    path = f'members[value eq "{people[0].public_id}" or display eq "{people[2].display_name}"]'

    response = scim.patch_group(team.public_id, {"op": "remove", "path": path})

    assert_no_content(response, team, 2)
    assert member_ids(team) == {people[1].public_id}


def test_remove_members_without_value_clears_them_all(scim, crew):
    team, _ = crew

    response = scim.patch_group(team.public_id, {"op": "remove", "path": "members"})

    assert_no_content(response, team, 2)
    assert member_ids(team) == set()
    assert TeamChange.objects.get(team=team).changes["members_removed"]["count"] == 3


def test_replace_members_sets_the_list(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "replace", "path": "members", "value": [ref(people[2]), ref(people[4])]},
    )

    assert_no_content(response, team, 2)
    assert member_ids(team) == {people[2].public_id, people[4].public_id}


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Replace", "path": "displayName", "value": "Platform"},
        {"op": "replace", "value": {"displayName": "Platform"}},
        {"op": "REPLACE", "value": {"displayname": "Platform", "id": "ignored", "meta": {}}},
        {"op": "add", "path": f"{GROUP}:displayName", "value": "Platform"},
    ],
)
def test_replace_display_name_with_or_without_path(scim, crew, operation):
    team, people = crew

    response = scim.patch_group(team.public_id, operation)

    assert_no_content(response, team, 2)
    assert team.display_name == "Platform"
    assert member_ids(team) == {e.public_id for e in people[:3]}


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ({"op": "Replace", "path": "externalId", "value": "g-2"}, "g-2"),
        ({"op": "replace", "value": {"externalId": "g-2"}}, "g-2"),
        ({"op": "remove", "path": "externalId"}, ""),
    ],
)
def test_replace_or_remove_external_id(scim, crew, operation, expected):
    team, _ = crew

    response = scim.patch_group(team.public_id, operation)

    assert_no_content(response, team, 2)
    assert team.external_id == expected


def test_add_then_remove_the_same_member_in_one_request(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "add", "path": "members", "value": [ref(people[4])]},
        {"op": "remove", "path": f'members[value eq "{people[4].public_id}"]'},
        {"op": "remove", "path": "members", "value": [ref(people[0])]},
        {"op": "add", "path": "members", "value": [ref(people[0])]},
    )

    # people[0] is removed then added back: no membership changes, no new version.
    assert (response.status_code, response.content) == (HTTPStatus.NO_CONTENT, b"")
    team.refresh_from_db()
    assert team.version == 1
    assert member_ids(team) == {e.public_id for e in people[:3]}
    assert not TeamChange.objects.filter(team=team).exists()


def test_many_operations_apply_together_in_one_history_entry(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "replace", "path": "members", "value": [ref(people[0])]},
        {"op": "add", "path": "members", "value": [ref(people[3]), ref(people[4])]},
        {"op": "remove", "path": "members", "value": [ref(people[4])]},
        {"op": "replace", "value": {"displayName": "Platform", "externalId": "g-9"}},
    )

    assert_no_content(response, team, 2)
    assert (team.display_name, team.external_id) == ("Platform", "g-9")
    assert member_ids(team) == {people[0].public_id, people[3].public_id}
    change = TeamChange.objects.get(team=team)
    assert change.changes == {
        "display_name": ["Engineering", "Platform"],
        "external_id": ["g-1", "g-9"],
        "members_added": {"count": 1, "user_names": [people[3].user_name]},
        "members_removed": {
            "count": 2,
            "user_names": sorted([people[1].user_name, people[2].user_name]),
        },
    }


def test_adding_a_member_twice_or_removing_a_non_member_is_harmless(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "add", "path": "members", "value": [ref(people[0]), ref(people[0])]},
        {"op": "remove", "path": "members", "value": [ref(people[4])]},
    )

    assert (response.status_code, response.content) == (HTTPStatus.NO_CONTENT, b"")
    assert member_ids(team) == {e.public_id for e in people[:3]}


def test_an_unknown_member_is_400_and_nothing_is_applied(scim, crew):
    team, people = crew
    unknown = "00000000-0000-0000-0000-00000000dead"

    response = scim.patch_group(
        team.public_id,
        {"op": "replace", "path": "displayName", "value": "Platform"},
        {"op": "add", "path": "members", "value": [ref(people[3]), {"value": unknown}]},
    )

    assert (response.status_code, response.json()) == (
        HTTPStatus.BAD_REQUEST,
        error_body(400, f"members: No employee has the id {unknown}.", "invalidValue"),
    )
    team.refresh_from_db()
    assert (team.display_name, team.version) == ("Engineering", 1)
    assert member_ids(team) == {e.public_id for e in people[:3]}
    assert not TeamChange.objects.filter(team=team).exists()


def test_a_duplicate_name_is_409_and_nothing_is_applied(scim, crew):
    team, people = crew
    TeamFactory(display_name="Finance")

    response = scim.patch_group(
        team.public_id,
        {"op": "add", "path": "members", "value": [ref(people[3])]},
        {"op": "replace", "path": "displayName", "value": "FINANCE"},
    )

    assert (response.status_code, response.json()) == (
        HTTPStatus.CONFLICT,
        error_body(409, "displayName: A team with this name already exists.", "uniqueness"),
    )
    assert member_ids(team) == {e.public_id for e in people[:3]}


def test_patch_answers_200_with_the_resource_when_attributes_are_asked(scim, crew):
    team, people = crew

    response = scim.patch_group(
        team.public_id,
        {"op": "add", "path": "members", "value": [ref(people[3])]},
        query="?excludedAttributes=members",
    )

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["id"], body["displayName"], body["meta"]["version"], "members" in body) == (
        str(team.public_id),
        "Engineering",
        'W/"2"',
        False,
    )
    with_members = scim.patch_group(
        team.public_id,
        {"op": "remove", "path": "members", "value": [ref(people[3])]},
        query="?attributes=members",
    ).json()
    assert {m["value"] for m in with_members["members"]} == {str(e.public_id) for e in people[:3]}


@pytest.mark.parametrize(
    ("operations", "status", "scim_type", "detail"),
    [
        (None, 400, "invalidSyntax", "Operations must be a non-empty list."),
        ([], 400, "invalidSyntax", "Operations must be a non-empty list."),
        (["x"], 400, "invalidSyntax", "Each operation must be an object."),
        ([{"op": "move"}], 400, "invalidSyntax", "Each operation needs an op"),
        ([{"op": "remove"}], 400, "noTarget", "A remove operation needs a path."),
        ([{"op": "add", "value": "x"}], 400, "invalidValue", "An operation without a path"),
        ([{"op": "add", "path": 5, "value": "x"}], 400, "invalidPath", "path must be a string."),
        ([{"op": "add", "path": "nope", "value": "x"}], 400, "invalidPath", "Unknown attribute"),
        ([{"op": "add", "value": {"nope": 1}}], 400, "invalidPath", "Unknown attribute"),
        ([{"op": "add", "path": "members[", "value": []}], 400, "invalidFilter", ""),
        ([{"op": "add", "path": "urn:x:members", "value": []}], 400, "invalidPath", "Unknown"),
        ([{"op": "replace", "path": "id", "value": "x"}], 400, "mutability", "id is read-only."),
        ([{"op": "remove", "path": "displayName"}], 400, "invalidValue", "displayName is req"),
        ([{"op": "add", "path": "displayName", "value": ""}], 400, "invalidValue", "displayName"),
        ([{"op": "add", "path": "displayName", "value": 3}], 400, "invalidValue", "displayName"),
        ([{"op": "add", "path": "members", "value": 7}], 400, "invalidValue", "members: each"),
        ([{"op": "add", "path": "members", "value": [{}]}], 400, "invalidValue", "members: each"),
        ([{"op": "add", "path": "members.display", "value": "x"}], 400, "invalidPath", ""),
        (
            [{"op": "replace", "path": 'members[value eq "x"]', "value": []}],
            400,
            "invalidPath",
            "A members[...] filter is only supported with remove.",
        ),
        ([{"op": "remove", "path": "members[nope eq 1]"}], 400, "invalidFilter", ""),
    ],
)
def test_bad_operations_are_scim_errors_and_change_nothing(
    scim, crew, operations, status, scim_type, detail
):
    team, people = crew

    response = scim.patch(
        f"Groups/{team.public_id}", {"schemas": [PATCH_OP], "Operations": operations}
    )

    assert response.status_code == status
    body = response.json()
    assert (body["status"], body.get("scimType")) == (str(status), scim_type)
    assert body["detail"].startswith(detail)
    team.refresh_from_db()
    assert (team.display_name, team.version) == ("Engineering", 1)
    assert member_ids(team) == {e.public_id for e in people[:3]}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b"\xff\xfe",
        b'{"Operations": [{"op": "add", "path": "members", "value": [{"value": null}]}]}',
        b'{"Operations": [{"op": "add", "path": "members", "value": {"value": "x\\u0000"}}]}',
        json.dumps({"Operations": [{"op": "remove", "path": "members[" + "(" * 200}]}).encode(),
        json.dumps({"Operations": [{"op": "add", "value": {"members": "a" * 10000}}]}).encode(),
    ],
)
def test_garbage_is_never_a_500(scim_client, crew, raw):
    team, _ = crew

    for method in ("patch", "put", "post"):
        path = "/scim/v2/Groups" if method == "post" else f"/scim/v2/Groups/{team.public_id}"
        response = getattr(scim_client, method)(
            path, data=raw, content_type="application/scim+json"
        )
        assert HTTPStatus.BAD_REQUEST <= response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    team.refresh_from_db()
    assert team.version == 1


def test_patch_on_a_missing_group_is_404(scim):
    response = scim.patch_group(
        "00000000-0000-0000-0000-000000000000",
        {"op": "add", "path": "members", "value": []},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_member_deleted_before_the_group_update_can_still_be_removed(scim, crew):
    team, people = crew
    assert scim.delete(f"Users/{people[0].public_id}").status_code == HTTPStatus.NO_CONTENT

    response = scim.patch_group(
        team.public_id, {"op": "remove", "path": f'members[value eq "{people[0].public_id}"]'}
    )

    assert_no_content(response, team, 2)
    assert member_ids(team) == {people[1].public_id, people[2].public_id}
    readd = scim.patch_group(
        team.public_id, {"op": "add", "path": "members", "value": [ref(people[0])]}
    )
    assert readd.status_code == HTTPStatus.BAD_REQUEST
