from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_org_chart_starts_at_the_top_with_report_counts(hr_admin_client, org):
    response = hr_admin_client.get("/org-chart/")
    assert response.status_code == HTTPStatus.OK
    nodes = list(response.context["nodes"].object_list)
    assert [(n.pk, n.report_count) for n in nodes] == [(org["ceo"].pk, 1)]
    page = response.content.decode()
    assert f'data-children-url="/org-chart/{org["ceo"].public_id}/children/"' in page
    assert 'aria-expanded="false"' in page


def test_org_chart_from_any_employee_shows_managers_above(hr_admin_client, org):
    response = hr_admin_client.get("/org-chart/", {"root": org["vp"].public_id})
    assert [n.pk for n in response.context["nodes"].object_list] == [org["engineer"].pk]
    assert [m.pk for m in response.context["chain"]] == [org["ceo"].pk]
    page = response.content.decode()
    assert f'href="/org-chart/?root={org["ceo"].public_id}">Åsa Öberg</a>' in page


def test_children_fragment_pages_through_a_large_team(hr_admin_client, org):
    bulk_employees(60, manager=org["engineer"])
    url = f"/org-chart/{org['engineer'].public_id}/children/"
    first = hr_admin_client.get(url)
    page = first.content.decode()
    assert "<html" not in page
    assert page.count('class="org-node"') == 50
    assert f'href="{url}?page=2" data-more-url' in page
    assert "(50 of 60 shown)" in page
    second = hr_admin_client.get(url, {"page": 2}).content.decode()
    assert second.count('class="org-node"') == 10
    assert "data-more-url" not in second


def test_deleted_reports_are_not_counted_or_shown(hr_admin_client, org):
    EmployeeFactory(manager=org["engineer"], deleted_at=timezone.now())
    response = hr_admin_client.get("/org-chart/", {"root": org["vp"].public_id})
    assert response.context["nodes"].object_list[0].report_count == 0
    children = hr_admin_client.get(f"/org-chart/{org['engineer'].public_id}/children/")
    assert 'class="org-node"' not in children.content.decode()


def test_start_from_a_user_name(hr_admin_client, org):
    response = hr_admin_client.get("/org-chart/", {"start": org["vp"].user_name.upper()})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/org-chart/?root={org['vp'].public_id}"
    response = hr_admin_client.get("/org-chart/", {"start": "ghost@contoso.com"})
    assert "No employee matches “ghost@contoso.com”." in response.content.decode()


def test_start_from_a_name_jumps_to_the_one_match_or_lists_several(hr_admin_client, org):
    response = hr_admin_client.get("/org-chart/", {"start": "José Núñez"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/org-chart/?root={org['vp'].public_id}"

    EmployeeFactory(given_name="José", family_name="Núñez-Other", manager=org["ceo"])
    response = hr_admin_client.get("/org-chart/", {"start": "José"})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "2 people match “José”: start from" in page
    assert f'href="/org-chart/?root={org["vp"].public_id}"' in page


def test_start_from_offers_name_suggestions(hr_admin_client, org):
    page = hr_admin_client.get("/org-chart/").content.decode()
    assert 'list="org-start-suggestions" data-suggest-url="/employees/suggestions/"' in page


@pytest.mark.parametrize("size", [10, 1000])
def test_org_chart_queries_do_not_grow_with_team_size(
    hr_admin_client, org, size, django_assert_max_num_queries
):
    reports = bulk_employees(size, manager=org["engineer"])
    bulk_employees(5, manager=reports[0], prefix="second")
    with django_assert_max_num_queries(8):
        response = hr_admin_client.get(f"/org-chart/{org['engineer'].public_id}/children/")
    assert response.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(10):
        response = hr_admin_client.get("/org-chart/", {"root": org["engineer"].public_id})
    assert response.context["nodes"].paginator.count == size


def test_a_person_is_drawn_with_their_manager_link_and_reports_below(hr_admin_client, org):
    page = hr_admin_client.get("/org-chart/", {"root": org["vp"].public_id}).content.decode()
    assert '<li class="org-node is-open org-focus">' in page
    assert f'href="/org-chart/?root={org["ceo"].public_id}">↑ Up to Åsa Öberg</a>' in page
    assert "org-stack" not in page  # a small team is one row of cards
    bulk_employees(7, manager=org["vp"])
    page = hr_admin_client.get("/org-chart/", {"root": org["vp"].public_id}).content.decode()
    assert '<ul class="org-tree org-stack">' in page  # a larger team is a grid
    assert 'data-stack-over="6"' in page


def test_reports_button_names_the_count_and_the_person(hr_admin_client, org):
    page = hr_admin_client.get("/org-chart/").content.decode()
    assert 'aria-label="Show the 1 report of Åsa Öberg"' in page
    assert 'data-report-count="1"' in page
