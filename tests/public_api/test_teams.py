"""Teams on the public API: list, retrieve, members and an employee's teams (read-only)."""

import datetime as dt
import uuid
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from employees.models import Employee
from teams.models import Team
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db

SYNCED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _team_json(team: Team, member_count: int) -> dict:
    return {
        "id": str(team.public_id),
        "display_name": team.display_name,
        "external_id": team.external_id,
        "member_count": member_count,
        "last_synced_at": team.last_synced_at.isoformat().replace("+00:00", "Z")
        if team.last_synced_at
        else None,
        "created_at": team.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": team.updated_at.isoformat().replace("+00:00", "Z"),
    }


@pytest.fixture
def people():
    return [
        EmployeeFactory(given_name="Ada", family_name="Lovelace", department="Research"),
        EmployeeFactory(given_name="Alan", family_name="Turing", department="Research"),
        EmployeeFactory(given_name="Grace", family_name="Hopper", department="Engineering"),
    ]


@pytest.fixture
def teams(people):
    gone = EmployeeFactory(deleted_at=timezone.now(), active=False)
    return {
        "research": TeamFactory(
            display_name="Research",
            external_id="entra-1",
            last_synced_at=SYNCED,
            members=[people[0], people[1], gone],
        ),
        "platform": TeamFactory(display_name="Platform", external_id="", members=[people[2]]),
        "empty": TeamFactory(display_name="Alumni", external_id="entra-3"),
        "deleted": TeamFactory(display_name="Old", deleted_at=timezone.now(), members=[people[0]]),
    }


def test_list_envelope_by_name_with_member_counts(api_client, teams):
    response = api_client.get("/api/v1/teams/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 3,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [
            _team_json(teams["empty"], 0),
            _team_json(teams["platform"], 1),
            _team_json(teams["research"], 2),
        ],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter[display_name]=research", ["Research"]),
        ("filter[display_name][contains]=FORM", ["Platform"]),
        ("filter[display_name][startswith]=al", ["Alumni"]),
        ("filter[external_id]=entra-3", ["Alumni"]),
        ("filter[external_id][in]=entra-1,entra-3", ["Alumni", "Research"]),
        ("filter[external_id]=", ["Platform"]),
        ("sort=-member_count", ["Research", "Platform", "Alumni"]),
        ("sort=-display_name", ["Research", "Platform", "Alumni"]),
        ("sort=external_id,display_name", ["Platform", "Research", "Alumni"]),
        ("limit=1&offset=1", ["Platform"]),
    ],
)
def test_list_filters_sorts_and_pages(api_client, teams, query, expected):
    response = api_client.get(f"/api/v1/teams/?{query}")

    assert response.status_code == HTTPStatus.OK
    assert [row["display_name"] for row in response.json()["results"]] == expected


def test_list_pages_link_to_each_other(api_client, teams):
    body = api_client.get("/api/v1/teams/?limit=1&offset=1").json()

    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/teams/?limit=1&offset=2"
    assert body["previous"] == "http://testserver/api/v1/teams/?limit=1"


def test_select_narrows_the_fields(api_client, teams):
    body = api_client.get("/api/v1/teams/?select=member_count&filter[external_id]=entra-1").json()

    assert body["results"] == [{"id": str(teams["research"].public_id), "member_count": 2}]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "filter[department]=Sales",
            {
                "filter[department]": [
                    "Unknown field 'department'. Filterable: id, display_name, external_id, "
                    "created_at, updated_at."
                ]
            },
        ),
        (
            "sort=family_name",
            {
                "sort": [
                    "Cannot sort by 'family_name'. Sortable: id, display_name, external_id, "
                    "member_count, created_at, updated_at."
                ]
            },
        ),
        ("limit=0", {"limit": ["Ensure this value is greater than or equal to 1."]}),
        (
            "select=members",
            {
                "select": [
                    "Unknown field 'members'. Fields: id, display_name, external_id, member_count, "
                    "last_synced_at, created_at, updated_at."
                ]
            },
        ),
        (
            "colour=red",
            {"colour": ["Unknown parameter. Allowed: select, filter[...], sort, limit, offset."]},
        ),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(api_client, teams, query, errors):
    response = api_client.get(f"/api/v1/teams/?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == errors


def test_retrieve_a_team(api_client, teams):
    response = api_client.get(f"/api/v1/teams/{teams['research'].public_id}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == _team_json(teams["research"], 2)


def test_retrieve_refuses_list_parameters(api_client, teams):
    response = api_client.get(f"/api/v1/teams/{teams['research'].public_id}/?limit=1")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"limit": ["Unknown parameter. Allowed: select."]}


@pytest.mark.parametrize("suffix", ["", "members/"])
@pytest.mark.parametrize(
    "identifier", ["6f1c2a9e-3b7d-4c1e-9a52-0d8e4f7b1c33", "not-a-uuid", "deleted"]
)
def test_unknown_malformed_or_deleted_team_is_404(api_client, teams, identifier, suffix):
    if identifier == "deleted":
        identifier = str(teams["deleted"].public_id)
    response = api_client.get(f"/api/v1/teams/{identifier}/{suffix}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


def test_members_are_a_page_of_employees(api_client, teams, people):
    response = api_client.get(f"/api/v1/teams/{teams['research'].public_id}/members/")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [
        str(people[0].public_id),
        str(people[1].public_id),
    ]
    whole = api_client.get(f"/api/v1/employees/{people[0].public_id}/").json()
    assert body["results"][0] == whole


def test_members_take_the_employee_list_parameters(api_client, teams, people):
    url = f"/api/v1/teams/{teams['research'].public_id}/members/"
    body = api_client.get(
        f"{url}?select=family_name&sort=-family_name&filter[given_name]=alan&limit=5"
    ).json()

    assert body == {
        "count": 1,
        "limit": 5,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [{"id": str(people[1].public_id), "family_name": "Turing"}],
    }
    bad = api_client.get(f"{url}?filter[display_name][in]=x&filter[colour]=red")
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert list(bad.json()["errors"]) == ["filter[colour]"]


def test_employee_teams_lists_only_current_teams(api_client, teams, people):
    response = api_client.get(f"/api/v1/employees/{people[0].public_id}/teams/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 1,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [_team_json(teams["research"], 2)],
    }


def test_employee_teams_of_unknown_employee_is_404(api_client):
    response = api_client.get(f"/api/v1/employees/{uuid.uuid4()}/teams/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("suffix", ["", "{id}/", "{id}/members/"])
def test_teams_are_read_only(api_client, teams, method, suffix):
    url = "/api/v1/teams/" + suffix.format(id=teams["research"].public_id)
    response = getattr(api_client, method)(url, {"display_name": "New"}, format="json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["code"] == "method_not_allowed"
    assert Team.objects.filter(display_name="New").count() == 0


def _team_urls(team: Team, employee: Employee) -> list[str]:
    return [
        "/api/v1/teams/",
        f"/api/v1/teams/{team.public_id}/",
        f"/api/v1/teams/{team.public_id}/members/",
        f"/api/v1/employees/{employee.public_id}/teams/",
    ]


def test_no_token_is_401(teams, people):
    for url in _team_urls(teams["research"], people[0]):
        response = APIClient().get(url)
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [([Scope.API_READ], True), ([Scope.API_WRITE], False), ([Scope.SCIM], False)],
)
def test_reading_teams_needs_api_read(owner, teams, people, scopes, allowed):
    token = access_token_create(name="Teams reader", scopes=scopes, created_by=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    for url in _team_urls(teams["research"], people[0]):
        response = client.get(url)
        if allowed:
            assert response.status_code == HTTPStatus.OK
        else:
            assert response.status_code == HTTPStatus.FORBIDDEN
            assert response.json()["detail"] == "This access token lacks the api:read scope."


# Token lookup (1), last-use stamp (at most 1 a minute), throttle history in the database
# cache (6), count (1), page (1); member counts of the page (1) or looking up the team or
# employee add 1 each.
READ_QUERIES = 10


@pytest.fixture(params=[10, 1000], ids=["10-employees", "1000-employees"])
def big(request):
    """A team of every employee, one of half of them, and 30 small teams; return the first."""
    size = request.param
    boss = EmployeeFactory()
    people = Employee.objects.bulk_create(
        Employee(
            user_name=f"person{n}@contoso.com",
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            work_email=f"person{n}@contoso.com",
            manager=boss,
        )
        for n in range(size)
    )
    everyone = TeamFactory(display_name="Everyone", members=people)
    TeamFactory(display_name="Half", members=people[: size // 2])
    for n in range(30):
        TeamFactory(display_name=f"Small {n:02d}", members=people[n % size : n % size + 3])
    cache.clear()
    return {"team": everyone, "person": people[0], "size": size}


@pytest.mark.parametrize("sort", ["-member_count", "display_name"])
def test_team_list_queries_are_constant(api_client, big, sort, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES + 1):
        response = api_client.get(f"/api/v1/teams/?limit=200&sort={sort}")
    counts = {row["display_name"]: row["member_count"] for row in response.json()["results"]}
    assert counts["Everyone"] == big["size"]
    assert counts["Half"] == big["size"] // 2


def test_team_retrieve_queries_are_constant(api_client, big, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES):
        response = api_client.get(f"/api/v1/teams/{big['team'].public_id}/")
    assert response.json()["member_count"] == big["size"]


def test_team_members_queries_are_constant(api_client, big, django_assert_max_num_queries):
    # The members are employees: their custom field definitions add one query.
    with django_assert_max_num_queries(READ_QUERIES + 2):
        response = api_client.get(f"/api/v1/teams/{big['team'].public_id}/members/?limit=200")
    body = response.json()
    assert body["count"] == big["size"]
    assert len(body["results"]) == min(big["size"], 200)


def test_employee_teams_queries_are_constant(api_client, big, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES + 2):
        response = api_client.get(f"/api/v1/employees/{big['person'].public_id}/teams/")
    names = [row["display_name"] for row in response.json()["results"]]
    assert names[:2] == ["Everyone", "Half"]
