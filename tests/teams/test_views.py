"""The Teams pages of the HR web app: the list and a team with its members and history."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from employees.models import Channel
from employees.services import Actor
from teams.services import team_create, team_update
from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/teams/"


def _url(team):
    return f"/teams/{team.public_id}/"


def test_list_shows_teams_by_name_with_member_counts_and_source(hr_admin_client):
    people = EmployeeFactory.create_batch(3)
    gone = EmployeeFactory(deleted_at=timezone.now())
    synced = TeamFactory(
        display_name="Platform", members=[*people, gone], last_synced_at=timezone.now()
    )
    TeamFactory(display_name="Architecture", members=people[:1], external_id="")
    TeamFactory(display_name="Deleted", deleted_at=timezone.now())

    response = hr_admin_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    rows = [(t.display_name, t.member_count) for t in response.context["page"].object_list]
    assert rows == [("Architecture", 1), ("Platform", 3)]
    page = response.content.decode()
    assert "2 teams, showing 1\N{EN DASH}2" in page
    assert f'<a href="{_url(synced)}">Platform</a>' in page
    assert '<td data-label="Members">3</td>' in page
    assert page.count('<span class="badge">SCIM</span>') == 1
    assert page.count('<span class="badge">HR</span>') == 1
    assert 'href="/teams/" aria-current="page">Teams</a>' in page


def test_list_without_teams_says_so(hr_admin_client):
    page = hr_admin_client.get(LIST_URL).content.decode()
    assert "No teams yet." in page


def test_list_is_paginated(hr_admin_client):
    for n in range(51):
        TeamFactory(display_name=f"Team {n:02d}")
    first = hr_admin_client.get(LIST_URL)
    second = hr_admin_client.get(LIST_URL, {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert [t.display_name for t in second.context["page"].object_list] == ["Team 50"]
    assert "Page 2 of 2" in second.content.decode()


def test_team_page_shows_source_members_and_history(hr_admin_client, hr_admin, owner):
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", user_name="ada@contoso.com")
    alan = EmployeeFactory(given_name="Alan", family_name="Turing", user_name="alan@contoso.com")
    EmployeeFactory(given_name="Not", family_name="Member")
    team = team_create(
        actor=Actor(channel=Channel.SCIM),
        display_name="Research",
        external_id="entra-group-1",
        member_ids=[str(ada.public_id)],
    )
    team_update(
        team=team,
        actor=Actor(channel=Channel.WEB, user=hr_admin),
        data={"display_name": "Research & Development"},
        add_member_ids=[str(alan.public_id)],
    )
    team.refresh_from_db()

    response = hr_admin_client.get(_url(team))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<h1>Research &amp; Development</h1>" in page
    assert "2 members" in page
    assert "Managed by Microsoft Entra ID over SCIM. Last synced" in page
    assert "entra-group-1" in page
    assert [e.user_name for e in response.context["page"].object_list] == [
        "ada@contoso.com",
        "alan@contoso.com",
    ]
    assert f'href="/employees/{ada.public_id}/">Lovelace, Ada</a>' in page
    assert "Member, Not" not in page
    assert f'href="/employees/?team={team.public_id}"' in page
    history = page.split('id="history-heading"')[1]
    assert history.index("Updated") < history.index("Created")
    assert "<del>Research</del> → <ins>Research &amp; Development</ins>" in history
    assert "Members added</span>: 1 (alan@contoso.com)" in history
    assert "Members added</span>: 1 (ada@contoso.com)" in history
    assert '<td data-label="Who">SCIM' in history
    assert "via HR web app" in history


def test_team_kept_by_hr_says_so(hr_admin_client):
    page = hr_admin_client.get(_url(TeamFactory())).content.decode()
    assert "Managed by HR in Alexis." in page
    assert "No members." in page
    assert "No recorded changes." in page


def test_team_members_are_paginated(hr_admin_client):
    team = TeamFactory(members=bulk_employees(51))
    response = hr_admin_client.get(_url(team), {"page": 2})
    assert len(response.context["page"].object_list) == 1
    assert "Page 2 of 2" in response.content.decode()


@pytest.mark.parametrize(
    "make", [lambda: TeamFactory(deleted_at=timezone.now()), lambda: None], ids=["deleted", "none"]
)
def test_unknown_or_deleted_team_is_not_found(hr_admin_client, make):
    team = make()
    url = _url(team) if team else "/teams/00000000-0000-0000-0000-000000000000/"
    assert hr_admin_client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("client_fixture", ["hr_admin_client", "owner_client"])
def test_hr_admins_and_owners_may_see_teams(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    team = TeamFactory()
    assert client.get(LIST_URL).status_code == HTTPStatus.OK
    assert client.get(_url(team)).status_code == HTTPStatus.OK


def test_employees_are_refused(employee_client):
    team = TeamFactory()
    assert employee_client.get(LIST_URL).status_code == HTTPStatus.FORBIDDEN
    assert employee_client.get(_url(team)).status_code == HTTPStatus.FORBIDDEN


def test_anonymous_visitors_go_to_sign_in(client):
    team = TeamFactory()
    for url in (LIST_URL, _url(team)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == f"/accounts/sign-in/?next={url}"


@pytest.mark.parametrize("size", [10, 1000])
def test_list_queries_do_not_grow_with_teams_or_members(
    hr_admin_client, size, django_assert_max_num_queries
):
    people = bulk_employees(size)
    for n in range(60 if size == 1000 else 6):
        TeamFactory(members=people[: size // (n + 1)])
    with django_assert_max_num_queries(7):
        response = hr_admin_client.get(LIST_URL, {"page": 2 if size == 1000 else 1})
    assert response.status_code == HTTPStatus.OK
    assert response.context["page"].object_list[0].member_count >= 1


@pytest.mark.parametrize("size", [10, 1000])
def test_team_page_queries_do_not_grow_with_members_or_history(
    hr_admin_client, hr_admin, size, django_assert_max_num_queries
):
    people = bulk_employees(size, manager=EmployeeFactory())
    team = team_create(
        actor=Actor(channel=Channel.SCIM),
        display_name="Everyone",
        member_ids=[str(p.public_id) for p in people],
    )
    for n in range(min(size, 60)):
        team_update(
            team=team, actor=Actor(channel=Channel.WEB, user=hr_admin), data={"external_id": f"{n}"}
        )
    with django_assert_max_num_queries(8):
        response = hr_admin_client.get(_url(team), {"page": 2})
    assert response.status_code == HTTPStatus.OK
    assert response.context["page"].paginator.count == size
    assert len(response.context["history"]) == min(min(size, 60) + 1, 50)
