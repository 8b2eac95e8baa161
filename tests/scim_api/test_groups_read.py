"""GET /Groups, /Groups/{id} and POST /Groups/.search: teams as SCIM Groups (RFC 7644 §3.4)."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory, TeamFactory
from tests.scim_api.conftest import GROUP, HOST, LIST, error_body, iso

pytestmark = pytest.mark.django_db

BASE = f"{HOST}/scim/v2"


def member(employee):
    return {
        "value": str(employee.public_id),
        "$ref": f"{BASE}/Users/{employee.public_id}",
        "display": employee.display_name,
        "type": "User",
    }


def group_body(team, members=None):
    body = {"schemas": [GROUP], "id": str(team.public_id)}
    if team.external_id:
        body["externalId"] = team.external_id
    body["displayName"] = team.display_name
    if members is not None:
        body["members"] = [member(e) for e in members]
    body["meta"] = {
        "resourceType": "Group",
        "created": iso(team.created_at),
        "lastModified": iso(team.updated_at),
        "location": f"{BASE}/Groups/{team.public_id}",
        "version": f'W/"{team.version}"',
    }
    return body


def list_body(resources, total=None, start=1):
    return {
        "schemas": [LIST],
        "totalResults": len(resources) if total is None else total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


@pytest.fixture
def people():
    return [
        EmployeeFactory(given_name="Ada", family_name="Lovelace", display_name="Ada L."),
        EmployeeFactory(given_name="Grace", family_name="Hopper", display_name=""),
        EmployeeFactory(given_name="Alan", family_name="Turing", display_name="Alan T."),
    ]


def test_get_group_lists_current_members_ordered_by_name(scim, people):
    gone = EmployeeFactory(family_name="Aardvark", deleted_at=timezone.now())
    team = TeamFactory(display_name="Engineering", external_id="g-1", members=[*people, gone])

    response = scim.get(f"Groups/{team.public_id}/")

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] == 'W/"1"'
    assert response["Location"] == f"{BASE}/Groups/{team.public_id}"
    body = group_body(team, [people[1], people[0], people[2]])
    body["members"][0]["display"] = "Grace Hopper"  # no display name: given and family name
    assert response.json() == body


def test_excluded_members_are_not_read(scim, people, django_assert_max_num_queries):
    team = TeamFactory(display_name="Engineering", members=people)

    # The token (read, last use), the team and the provisioning log's INSERT: no membership query.
    with django_assert_max_num_queries(4):
        response = scim.get(f"Groups/{team.public_id}?excludedAttributes=members")

    assert response.json() == group_body(team)


def test_attributes_pick_what_is_returned(scim, people):
    team = TeamFactory(display_name="Engineering", members=people[:1])

    only_name = scim.get(f"Groups/{team.public_id}?attributes=displayName").json()
    assert only_name == {
        "schemas": [GROUP],
        "id": str(team.public_id),
        "displayName": "Engineering",
    }
    values = scim.get(f"Groups/{team.public_id}?attributes=members.value").json()
    assert values["members"] == [{"value": str(people[0].public_id)}]


def test_unknown_deleted_or_malformed_ids_are_404(scim):
    deleted = TeamFactory(deleted_at=timezone.now())
    for resource_id in (deleted.public_id, "00000000-0000-0000-0000-000000000000", "nope"):
        response = scim.get(f"Groups/{resource_id}")
        assert (response.status_code, response.json()) == (
            HTTPStatus.NOT_FOUND,
            error_body(404, f"Resource {resource_id} not found."),
        )


def test_entras_display_name_probe_is_case_insensitive(scim, people):
    team = TeamFactory(display_name="Sales EMEA", members=people)
    TeamFactory(display_name="Sales")

    response = scim.get('Groups?excludedAttributes=members&filter=displayName eq "sales emea"')

    assert response.json() == list_body([group_body(team)])


@pytest.mark.parametrize(
    "query",
    [
        'externalId eq "ext-7"',
        'id eq "{id}"',
        'members eq "{member}"',
        'members[value eq "{member}"]',
        'displayName sw "eng" and not (externalId eq "other")',
        'meta.resourceType eq "Group" and displayName co "NEER"',
    ],
)
def test_filters_find_the_team(scim, people, query):
    team = TeamFactory(display_name="Engineering", external_id="ext-7", members=people)
    TeamFactory(display_name="Finance", external_id="other", members=people[:1])
    query = query.format(id=team.public_id, member=people[2].public_id)

    response = scim.get(f"Groups?excludedAttributes=members&filter={query}")

    assert response.json() == list_body([group_body(team)])


def test_a_members_or_filter_returns_each_team_once(scim, people):
    team = TeamFactory(display_name="Engineering", members=people)
    query = " or ".join(f'members.value eq "{e.public_id}"' for e in people)

    response = scim.get(f"Groups?excludedAttributes=members&filter={query}")

    assert response.json() == list_body([group_body(team)])


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("displayName eq", "The filter ends too early."),
        ('userName eq "x"', "Unknown or unfilterable attribute 'userName'."),
        ('members.value co "x"', "'members.value' can only be compared with eq, ne or pr."),
    ],
)
def test_bad_filters_are_400_invalid_filter(scim, query, detail):
    response = scim.get(f"Groups?filter={query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert (body["scimType"], body["status"]) == ("invalidFilter", "400")
    assert detail in body["detail"]


def test_list_pages_sorts_and_caps_count(scim, people):
    teams = [TeamFactory(display_name=f"Team {n:03d}", members=people) for n in range(5)]

    page = scim.get("Groups?startIndex=2&count=2&sortBy=displayName&sortOrder=descending").json()
    assert page == list_body(
        [group_body(teams[3], [people[1], people[0], people[2]]), group_body(teams[2], [])],
        total=5,
        start=2,
    ) | {"Resources": page["Resources"]}
    assert [r["displayName"] for r in page["Resources"]] == ["Team 003", "Team 002"]
    assert [m["value"] for m in page["Resources"][0]["members"]] == [
        str(people[1].public_id),
        str(people[0].public_id),
        str(people[2].public_id),
    ]
    capped = scim.get("Groups?count=100000&excludedAttributes=members").json()
    assert (capped["totalResults"], capped["itemsPerPage"]) == (5, 5)
    empty = scim.get("Groups?count=0").json()
    assert empty == list_body([], total=5)


def test_search_posts_the_same_query(scim, people):
    team = TeamFactory(display_name="Engineering", members=people[:1])
    TeamFactory(display_name="Finance")

    response = scim.post(
        "Groups/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'displayName eq "ENGINEERING"',
            "attributes": ["displayName", "members"],
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == list_body(
        [
            {
                "schemas": [GROUP],
                "id": str(team.public_id),
                "displayName": "Engineering",
                "members": [member(people[0])],
            }
        ]
    )


def test_a_user_lists_its_teams_read_only(scim, people):
    alpha = TeamFactory(display_name="Alpha", members=people)
    beta = TeamFactory(display_name="Beta", members=people[:1])
    TeamFactory(display_name="Gone", members=people, deleted_at=timezone.now())

    user = scim.get(f"Users/{people[0].public_id}").json()

    assert user["groups"] == [
        {
            "value": str(team.public_id),
            "$ref": f"{BASE}/Groups/{team.public_id}",
            "display": team.display_name,
            "type": "direct",
        }
        for team in (alpha, beta)
    ]
    listing = scim.get("Users?sortBy=userName").json()["Resources"]
    assert [[g["display"] for g in r.get("groups", [])] for r in listing] == [
        ["Alpha", "Beta"],
        ["Alpha"],
        ["Alpha"],
    ]


def test_every_user_answer_names_the_teams_read_with_the_user(scim, people):
    # Whether someone is in a team is read with them; their teams only when they are in one.
    alpha = TeamFactory(display_name="Alpha", members=people[:1])
    TeamFactory(display_name="Gone", members=people[1:2], deleted_at=timezone.now())
    in_team, in_deleted_team = people[0], people[1]
    expected = [{"value": str(alpha.public_id), "display": "Alpha"}]

    def teams(resource):
        return [{"value": g["value"], "display": g["display"]} for g in resource.get("groups", [])]

    for person, groups in ((in_team, expected), (in_deleted_team, [])):
        found = scim.get(f'Users?filter=userName eq "{person.user_name}"').json()
        assert teams(found["Resources"][0]) == groups
        assert teams(scim.get(f"Users/{person.public_id}").json()) == groups
        patched = scim.patch_ops(person.public_id, {"op": "Replace", "path": "title", "value": "X"})
        assert patched.status_code == HTTPStatus.OK
        assert teams(patched.json()) == groups
    page = scim.get("Users?startIndex=2&count=5&sortBy=userName").json()["Resources"]
    ordered = sorted(people, key=lambda p: p.user_name.lower())[1:]
    assert [teams(r) for r in page] == [expected if p == in_team else [] for p in ordered]


def test_user_list_reads_teams_in_one_query_per_page(scim, django_assert_max_num_queries):
    for size in (5, 60):
        everyone = EmployeeFactory.create_batch(size)
        TeamFactory(members=everyone)
        TeamFactory(members=everyone[:3])
        # token, page, count, teams, log INSERT
        with django_assert_max_num_queries(5):
            page = scim.get("Users?count=200").json()
        assert all(len(r["groups"]) >= 1 for r in page["Resources"])
