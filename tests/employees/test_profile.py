from http import HTTPStatus

import pytest
from django.utils import timezone

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from employees.models import Channel
from employees.services import Actor, employee_create, employee_update
from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _url(employee):
    return f"/employees/{employee.public_id}/"


def test_profile_shows_every_field_and_the_manager_chain(hr_admin_client, org):
    engineer = org["engineer"]
    engineer.employee_number = "E-1001"
    engineer.cost_center = "CC-42"
    engineer.division = "Technology"
    engineer.organization = "Contoso AB"
    engineer.location = "Stockholm"
    engineer.employment_type = "full_time"
    engineer.external_id = "entra-123"
    engineer.save()
    response = hr_admin_client.get(_url(engineer))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in [
        "Zoë",
        "Brontë",
        engineer.user_name,
        "+16175551212",
        "E-1001",
        "CC-42",
        "Technology",
        "Contoso AB",
        "Stockholm",
        "Full time",
        "entra-123",
        str(engineer.public_id),
    ]:
        assert text in page, text
    assert [m.pk for m in response.context["chain"]] == [org["vp"].pk, org["ceo"].pk]
    chain_html = page[page.index('id="chain-heading"') : page.index('id="reports-heading"')]
    assert (
        chain_html.index("Åsa Öberg")
        < chain_html.index("José Núñez")
        < chain_html.index("<strong>Zoë Brontë</strong>")
    )
    assert f'href="/employees/{org["vp"].public_id}/"' in chain_html


def test_profile_of_the_top_says_so(hr_admin_client, org):
    page = hr_admin_client.get(_url(org["ceo"])).content.decode()
    assert "No manager: top of the organisation." in page
    assert 'Direct reports <span class="muted">(1)</span>' in page
    assert "José Núñez" in page


def test_direct_reports_are_paginated(hr_admin_client, org):
    bulk_employees(30, manager=org["engineer"])
    first = hr_admin_client.get(_url(org["engineer"]))
    assert len(first.context["reports"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = hr_admin_client.get(_url(org["engineer"]), {"reports_page": 2})
    assert len(second.context["reports"].object_list) == 5


def test_source_shows_scim_with_last_sync_or_hr(hr_admin_client, org):
    assert "Managed by HR in Alexis." in hr_admin_client.get(_url(org["ceo"])).content.decode()
    org["ceo"].last_synced_at = timezone.now().replace(year=2026, month=3, day=4, hour=5, minute=6)
    org["ceo"].save()
    page = hr_admin_client.get(_url(org["ceo"])).content.decode()
    assert "Managed by Microsoft Entra ID over SCIM. Last synced" in page
    assert "4 Mar 2026, 05:06" in page


def test_history_names_the_user_or_the_token_and_the_change(hr_admin_client, hr_admin, owner):
    token = access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner).token
    employee = employee_create(
        actor=Actor(channel=Channel.SCIM, token=token),
        user_name="new@contoso.com",
        given_name="Noémie",
        family_name="Lefèvre",
        work_email="new@contoso.com",
        title="Analyst",
    )
    employee_update(
        employee=employee,
        actor=Actor(channel=Channel.WEB, user=hr_admin),
        data={"title": "Senior Analyst"},
    )
    response = hr_admin_client.get(_url(employee))
    page = response.content.decode()
    history = page[page.index('id="history-heading"') :]
    assert history.index("Updated") < history.index("Created")
    assert "token «Entra ID»" in history
    assert "via SCIM" in history
    assert "harry.hradmin" in history or hr_admin.get_full_name() in history
    assert "via HR web app" in history
    assert "<del>Analyst</del> → <ins>Senior Analyst</ins>" in history


@pytest.mark.parametrize("size", [10, 1000])
def test_profile_queries_do_not_grow_with_reports_or_history(
    hr_admin_client, hr_admin, org, size, django_assert_max_num_queries
):
    bulk_employees(size, manager=org["engineer"])
    for n in range(min(size, 60)):
        employee_update(
            employee=org["engineer"],
            actor=Actor(channel=Channel.WEB, user=hr_admin),
            data={"title": f"Title {n}"},
        )
    # 11: one of them reads the custom field definitions, however many there are.
    with django_assert_max_num_queries(11):
        response = hr_admin_client.get(_url(org["engineer"]))
    assert response.status_code == HTTPStatus.OK
    assert response.context["reports"].paginator.count == size


def test_employee_sees_own_profile_manager_and_reports_without_hr_parts(
    employee_client, employee_user, org
):
    me = employee_user.employee
    me.manager = org["vp"]
    me.save()
    bulk_employees(3, manager=me, prefix="report")
    response = employee_client.get("/me/")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Erin Employee" in page
    assert "José Núñez" in page  # manager
    assert "Åsa Öberg" in page  # the manager's manager
    assert 'Direct reports <span class="muted">(3)</span>' in page
    assert "Change history" not in page
    assert "/edit/" not in page
    assert "/deactivate/" not in page
    assert f'href="/employees/{org["vp"].public_id}/"' not in page  # would be refused


@pytest.mark.parametrize("size", [10, 1000])
def test_my_profile_queries_do_not_grow(
    employee_client, employee_user, size, django_assert_max_num_queries
):
    bulk_employees(size, manager=employee_user.employee)
    with django_assert_max_num_queries(10):
        response = employee_client.get("/me/")
    assert response.status_code == HTTPStatus.OK


def test_hr_admin_with_an_employee_record_sees_the_full_profile_on_my_profile(
    hr_admin_client, hr_admin
):
    from tests.factories import EmployeeFactory

    EmployeeFactory(user=hr_admin, given_name="Harry", family_name="Admin")
    page = hr_admin_client.get("/me/").content.decode()
    assert "Harry Admin" in page
    assert "Change history" in page


def test_history_shows_values_of_any_shape(hr_admin_client, org):
    from employees.models import EmployeeChange

    EmployeeChange.objects.create(
        employee=org["ceo"], action="updated", channel=Channel.SYSTEM, changes={"note": "moved"}
    )
    page = hr_admin_client.get(_url(org["ceo"])).content.decode()
    assert "<ins>moved</ins>" in page


def test_profile_lists_the_teams_with_links_for_hr(hr_admin_client, org):
    platform = TeamFactory(display_name="Platform", members=[org["engineer"]])
    TeamFactory(display_name="Architecture", members=[org["engineer"], org["vp"]])
    TeamFactory(display_name="Old team", members=[org["engineer"]], deleted_at=timezone.now())
    TeamFactory(display_name="Board", members=[org["ceo"]])

    response = hr_admin_client.get(_url(org["engineer"]))

    assert [team.display_name for team in response.context["teams"]] == [
        "Architecture",
        "Platform",
    ]
    page = response.content.decode()
    assert 'Teams <span class="muted">(2)</span>' in page
    assert f'<a href="/teams/{platform.public_id}/">Platform</a>' in page
    assert "Old team" not in page
    assert "Board" not in page.split('id="teams-heading"')[1]


def test_profile_without_teams_says_so(hr_admin_client, org):
    page = hr_admin_client.get(_url(org["ceo"])).content.decode()
    assert "Not a member of any team." in page


def test_employee_sees_own_teams_without_links(employee_client, employee_user):
    team = TeamFactory(display_name="Support", members=[employee_user.employee])
    page = employee_client.get("/me/").content.decode()
    assert "<li>Support</li>" in page
    assert f"/teams/{team.public_id}/" not in page
    assert 'href="/teams/"' not in page  # no Teams navigation for employees


@pytest.mark.parametrize("size", [10, 1000])
def test_profile_and_my_profile_teams_cost_one_query(
    hr_admin_client, hr_admin, size, django_assert_max_num_queries
):
    me = EmployeeFactory(user=hr_admin)
    people = [me, *bulk_employees(size)]
    for n in range(5 if size == 10 else 40):
        TeamFactory(members=people[: size // (n + 1)])
    for url in (_url(me), "/me/"):
        with django_assert_max_num_queries(11):
            response = hr_admin_client.get(url)
        assert len(response.context["teams"]) == (5 if size == 10 else 40)
