"""The header's search: people, teams and departments in one place, for HR."""

from http import HTTPStatus

import pytest

from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_finds_people_teams_and_departments(hr_admin_client):
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", department="Research Lab")
    EmployeeFactory(given_name="Alan", family_name="Turing", department="Engineering")
    research = TeamFactory(display_name="Research guild")

    response = hr_admin_client.get("/search/", {"q": "research"})

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'href="/teams/{research.public_id}/">Research guild</a>' in page
    assert 'href="/employees/?department=Research%20Lab">Research Lab</a>' in page
    people = hr_admin_client.get("/search/", {"q": "ada lovelace"}).content.decode()
    assert f'href="/employees/{ada.public_id}/">Ada Lovelace</a>' in people
    assert "Turing" not in people


def test_no_match_and_no_query_explain_themselves(hr_admin_client):
    assert "Nothing matches “zzz”" in hr_admin_client.get("/search/", {"q": "zzz"}).content.decode()
    assert "Press <kbd>/</kbd>" in hr_admin_client.get("/search/").content.decode()


def test_the_header_has_the_search_box_with_its_shortcut(hr_admin_client):
    page = hr_admin_client.get("/").content.decode()
    assert 'action="/search/" role="search"' in page
    assert 'aria-keyshortcuts="/"' in page


def test_queries_do_not_grow_with_matches(hr_admin_client, django_assert_max_num_queries):
    EmployeeFactory.create_batch(30, family_name="Smith")
    hr_admin_client.get("/search/", {"q": "smith"})  # fills the cached filter lists
    with django_assert_max_num_queries(8):
        response = hr_admin_client.get("/search/", {"q": "smith"})
    assert response.content.decode().count('class="person"') == 10
    assert "See every match in the directory" in response.content.decode()


def test_employees_have_no_global_search(employee_client):
    assert employee_client.get("/search/", {"q": "a"}).status_code == HTTPStatus.FORBIDDEN
    assert 'action="/search/"' not in employee_client.get("/me/").content.decode()
