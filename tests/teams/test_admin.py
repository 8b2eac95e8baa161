"""The read-only teams admin: member counts, search, filters, members and history."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from employees.models import Channel
from employees.services import Actor
from teams.models import Team
from teams.services import team_create, team_update
from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory, HRAdminFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:teams_team_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(HRAdminFactory(username="stella.staff", is_staff=True))
    return client


def _rows(response):
    return [(t.display_name, t.member_count) for t in response.context["cl"].result_list]


def test_changelist_shows_member_counts_and_source(staff_client):
    people = EmployeeFactory.create_batch(3)
    TeamFactory(display_name="Platform", members=people, last_synced_at=timezone.now())
    TeamFactory(display_name="Board", members=people[:1])

    response = staff_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    assert _rows(response) == [("Board", 1), ("Platform", 3)]
    page = response.content.decode()
    assert '<td class="field-source">SCIM</td>' in page
    assert '<td class="field-source">HR</td>' in page
    assert "Add team" not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "plat"}, ["Platform"]),
        ({"q": "entra-9"}, ["Board"]),
        ({"source": "scim"}, ["Platform"]),
        ({"source": "hr"}, ["Board", "Old"]),
        ({"deleted": "yes"}, ["Old"]),
        ({"deleted": "no"}, ["Board", "Platform"]),
        ({"o": "-2"}, ["Platform", "Board", "Old"]),  # by member count
    ],
)
def test_search_filters_and_sort_by_member_count(staff_client, params, expected):
    people = EmployeeFactory.create_batch(3)
    TeamFactory(display_name="Platform", members=people, last_synced_at=timezone.now())
    TeamFactory(display_name="Board", external_id="entra-9", members=people[:1])
    TeamFactory(display_name="Old", deleted_at=timezone.now())

    response = staff_client.get(CHANGELIST, params)

    assert [name for name, _ in _rows(response)] == expected


def test_team_page_is_read_only_with_members_link_and_history(staff_client, hr_admin):
    ada = EmployeeFactory(user_name="ada@contoso.com")
    team = team_create(
        actor=Actor(channel=Channel.SCIM), display_name="Research", member_ids=[str(ada.public_id)]
    )
    team_update(
        team=team, actor=Actor(channel=Channel.WEB, user=hr_admin), data={"external_id": "g-1"}
    )
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = staff_client.get(url)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Recent changes" in page
    assert "<td>Created</td><td>SCIM</td>" in page
    assert "<td>Updated</td><td>HR web app</td>" in page
    assert f"/admin/teams/teammembership/?team__id__exact={team.pk}" in page
    assert f"/admin/teams/teamchange/?team__id__exact={team.pk}" in page
    assert 'name="_save"' not in page
    posted = staff_client.post(url, {"display_name": "Hijacked"})
    assert posted.status_code == HTTPStatus.FORBIDDEN
    assert Team.objects.get(pk=team.pk).display_name == "Research"


def test_members_and_history_lists_open_for_whoever_sees_teams(staff_client):
    ada = EmployeeFactory(user_name="ada@contoso.com")
    bob = EmployeeFactory(user_name="bob@contoso.com")
    team = team_create(
        actor=Actor(channel=Channel.SCIM), display_name="Research", member_ids=[str(ada.public_id)]
    )
    TeamFactory(members=[bob])

    members = staff_client.get(
        reverse("admin:teams_teammembership_changelist"), {"team__id__exact": team.pk}
    )
    history = staff_client.get(
        reverse("admin:teams_teamchange_changelist"), {"team__id__exact": team.pk}
    )

    assert members.status_code == HTTPStatus.OK
    assert [m.employee.user_name for m in members.context["cl"].result_list] == ["ada@contoso.com"]
    assert history.status_code == HTTPStatus.OK
    assert [c.team_id for c in history.context["cl"].result_list] == [team.pk]


def test_staff_without_the_team_permission_are_refused(client):
    client.force_login(UserFactory(username="no.teams", is_staff=True))
    for name in ("team", "teammembership", "teamchange"):
        response = client.get(reverse(f"admin:teams_{name}_changelist"))
        assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("size", [10, 1000])
def test_changelists_query_count_does_not_grow(staff_client, size, django_assert_max_num_queries):
    people = bulk_employees(size)
    team = TeamFactory(members=people)
    for n in range(30):
        TeamFactory(members=people[: size // (n + 1)])
    with django_assert_max_num_queries(8):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == HTTPStatus.OK
    members_url = reverse("admin:teams_teammembership_changelist")
    with django_assert_max_num_queries(8):
        response = staff_client.get(members_url, {"team__id__exact": team.pk})
    assert len(response.context["cl"].result_list) == min(size, 100)
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:teams_team_change", args=[team.pk]))
    assert response.status_code == HTTPStatus.OK
