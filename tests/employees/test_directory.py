import csv
import io
from http import HTTPStatus

import pytest
from django.utils import timezone

from employees.selectors import employee_list
from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/employees/"
FRAGMENT = {"X-Requested-With": "fetch"}


def _names(response):
    return [f"{e.family_name}, {e.given_name}" for e in response.context["page"].object_list]


def test_directory_lists_employees_with_manager_and_status(hr_admin_client, org):
    response = hr_admin_client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert _names(response) == ["Brontë, Zoë", "Núñez, José", "Öberg, Åsa"]
    page = response.content.decode()
    assert "3 employees" in page
    assert f'href="/employees/{org["vp"].public_id}/"' in page
    assert "<html" in page


def test_search_as_you_type_returns_only_the_results_fragment(hr_admin_client, org):
    response = hr_admin_client.get(URL, {"q": "NÚÑ"}, headers=FRAGMENT)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<html" not in page
    assert "Núñez, José" in page
    assert "Öberg, Åsa" not in page
    assert "X-Requested-With" in response["Vary"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "åsa"}, ["Öberg, Åsa"]),
        ({"q": "öberg åsa"}, ["Öberg, Åsa"]),
        ({"department": "Board"}, ["Öberg, Åsa"]),
        ({"status": "inactive"}, ["Núñez, José"]),
        ({"status": "active"}, ["Brontë, Zoë", "Öberg, Åsa"]),
        ({"source": "scim"}, ["Brontë, Zoë"]),
        ({"source": "hr"}, ["Núñez, José", "Öberg, Åsa"]),
        ({"division": "Research"}, ["Núñez, José"]),
        ({"organization": "Contoso AB"}, ["Brontë, Zoë"]),
        ({"cost_center": "CC-1"}, ["Öberg, Åsa"]),
        ({"sort": "-name"}, ["Öberg, Åsa", "Núñez, José", "Brontë, Zoë"]),
        ({"sort": "title"}, ["Öberg, Åsa", "Brontë, Zoë", "Núñez, José"]),
        ({"sort": "-title"}, ["Núñez, José", "Brontë, Zoë", "Öberg, Åsa"]),
        (
            {"sort": "nonsense", "status": "bogus", "page": "x"},
            ["Brontë, Zoë", "Núñez, José", "Öberg, Åsa"],
        ),
    ],
)
def test_filters_search_and_sorting(hr_admin_client, org, params, expected):
    org["vp"].active = False
    org["vp"].division = "Research"
    org["vp"].save()
    org["ceo"].cost_center = "CC-1"
    org["ceo"].save()
    org["engineer"].last_synced_at = timezone.now()
    org["engineer"].organization = "Contoso AB"
    org["engineer"].save()
    response = hr_admin_client.get(URL, params)
    assert response.status_code == HTTPStatus.OK
    assert _names(response) == expected


def test_department_filter_lists_the_department_records(hr_admin_client, org, web_actor):
    from organisation.kinds import DEPARTMENT
    from organisation.services import org_record_create

    for name in ("Board", "Engineering"):
        org_record_create(kind=DEPARTMENT, actor=web_actor, name=name)
    page = hr_admin_client.get(URL).content.decode()
    assert '<option value="Board">Board</option>' in page
    assert '<option value="Engineering">Engineering</option>' in page


def test_pagination_walks_non_ascii_names_in_order_without_gaps(hr_admin_client):
    names = ["Åsa", "Öberg", "Zoë", "José", "Núñez", "Ærø", "Émile", "Ølaf", "Ada", "Zed"]
    for i in range(120):
        EmployeeFactory(given_name=names[i % 10], family_name=names[(i // 10) % 10])
    seen = []
    page_number = 1
    while True:
        response = hr_admin_client.get(URL, {"page": page_number})
        seen.extend(e.pk for e in response.context["page"].object_list)
        if not response.context["page"].has_next:
            break
        page_number += 1
    assert page_number == 3
    assert len(seen) == len(set(seen)) == 120
    from employees.models import Employee

    assert seen == list(
        Employee.objects.order_by("family_name", "given_name", "id").values_list("pk", flat=True)
    )


def test_search_pages_have_next_without_a_total(hr_admin_client):
    bulk_employees(60, given_name="Åsa", family_name="Öberg")
    first = hr_admin_client.get(URL, {"q": "ÅSA"})
    assert first.context["page"].count is None
    assert len(first.context["page"].object_list) == 50
    assert "Matches 1\u201350 (more on the next page)" in first.content.decode()
    assert 'href="?q=%C3%85SA&amp;page=2"' in first.content.decode()
    second = hr_admin_client.get(URL, {"q": "ÅSA", "page": 2})
    assert len(second.context["page"].object_list) == 10
    assert not second.context["page"].has_next


def test_page_past_the_end_shows_the_last_page(hr_admin_client, org):
    response = hr_admin_client.get(URL, {"page": 99})
    assert response.context["page"].number == 1
    assert len(response.context["page"].object_list) == 3


def test_sort_links_toggle_direction_and_keep_filters(hr_admin_client, org):
    page = hr_admin_client.get(URL, {"q": "e", "sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?q=e&amp;sort=-title"' in page
    assert 'href="?q=e&amp;sort=name"' in page


def test_search_results_are_escaped(hr_admin_client):
    EmployeeFactory(given_name="<script>alert(1)</script>", family_name="X")
    page = hr_admin_client.get(URL, {"q": "<script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_streams_the_current_filter(hr_admin_client, org):
    response = hr_admin_client.get("/employees/export.csv", {"q": "núñez"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="employees-')
    rows = _csv(response)
    assert rows[0][:4] == ["Id", "User name", "Given name", "Family name"]
    assert len(rows) == 2
    vp = org["vp"]
    assert rows[1][:4] == [str(vp.public_id), vp.user_name, "José", "Núñez"]
    header = rows[0]
    assert rows[1][header.index("Manager")] == org["ceo"].user_name
    assert rows[1][header.index("Managed by")] == "HR"


def test_csv_export_defuses_spreadsheet_formulas_but_keeps_phone_numbers(hr_admin_client, org):
    EmployeeFactory(given_name="=HYPERLINK(1)", family_name="Evil", work_phone="+16175551234")
    rows = _csv(hr_admin_client.get("/employees/export.csv", {"q": "evil"}))
    header = rows[0]
    assert rows[1][header.index("Given name")] == "'=HYPERLINK(1)"
    assert rows[1][header.index("Work phone")] == "+16175551234"


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "bulk"},
        {"q": "åsa öberg"},
        {"department": "Engineering", "status": "active"},
        {"page": 3, "sort": "-title"},
    ],
)
def test_directory_queries_do_not_grow_with_employees(
    hr_admin_client, size, params, django_assert_max_num_queries
):
    bulk_employees(size, given_name="Åsa", family_name="Öberg")
    hr_admin_client.get(URL)  # fills the cached filter values
    with django_assert_max_num_queries(9):
        response = hr_admin_client.get(URL, params)
    assert response.status_code == HTTPStatus.OK


def test_csv_export_queries_do_not_grow_with_employees(
    hr_admin_client, django_assert_max_num_queries
):
    bulk_employees(1000)
    hr_admin_client.get(URL)
    with django_assert_max_num_queries(8):
        rows = _csv(hr_admin_client.get("/employees/export.csv"))
    assert len(rows) == 1001


def test_team_filter_lists_teams_and_shows_only_their_members(hr_admin_client, org):
    platform = TeamFactory(display_name="Platform", members=[org["vp"], org["engineer"]])
    TeamFactory(display_name="Board", members=[org["ceo"]])
    TeamFactory(display_name="Gone", members=[org["ceo"]], deleted_at=timezone.now())

    response = hr_admin_client.get(URL, {"team": str(platform.public_id)})

    assert response.status_code == HTTPStatus.OK
    assert _names(response) == ["Brontë, Zoë", "Núñez, José"]
    page = response.content.decode()
    assert '<label for="id_team">Team</label>' in page
    assert f'<option value="{platform.public_id}" selected>Platform</option>' in page
    assert "Gone</option>" not in page


@pytest.mark.parametrize("team", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_team_filter_is_ignored(hr_admin_client, org, team):
    response = hr_admin_client.get(URL, {"team": team})
    assert response.status_code == HTTPStatus.OK
    assert _names(response) == ["Brontë, Zoë", "Núñez, José", "Öberg, Åsa"]


def test_deleted_team_filter_matches_nobody(org):
    gone = TeamFactory(members=[org["ceo"]], deleted_at=timezone.now())
    assert list(employee_list(team=gone.public_id)) == []
    assert list(employee_list(team="nonsense")) == []


def test_csv_export_keeps_the_team_filter(hr_admin_client, org):
    team = TeamFactory(members=[org["vp"]])
    rows = _csv(hr_admin_client.get("/employees/export.csv", {"team": str(team.public_id)}))
    assert [row[1] for row in rows[1:]] == [org["vp"].user_name]


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize("sort", ["name", "-start_date"])
def test_team_filter_queries_do_not_grow_with_members(
    hr_admin_client, size, sort, django_assert_max_num_queries
):
    people = bulk_employees(size)
    team = TeamFactory(members=people[: size // 2])
    TeamFactory.create_batch(5, members=people[:3])
    hr_admin_client.get(URL)  # fills the cached filter values and teams
    with django_assert_max_num_queries(9):
        response = hr_admin_client.get(URL, {"team": str(team.public_id), "sort": sort})
    assert response.status_code == HTTPStatus.OK
    assert response.context["page"].count == size // 2
    assert len(response.context["page"].object_list) == min(size // 2, 50)
