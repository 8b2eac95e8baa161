"""List query parameters: select, filter, sort, limit/offset, and their errors."""

import datetime as dt
from http import HTTPStatus

import pytest

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    """Four employees with distinct, known values."""
    boss = EmployeeFactory(
        given_name="Grace",
        family_name="Hopper",
        title="Chief Engineer",
        department="Engineering",
        employment_type="full_time",
        start_date=dt.date(2020, 3, 1),
    )
    return {
        "boss": boss,
        "alan": EmployeeFactory(
            given_name="Alan",
            family_name="Turing",
            title="Software engineer",
            department="Engineering",
            employment_type="contractor",
            start_date=dt.date(2023, 6, 1),
            manager=boss,
        ),
        "marie": EmployeeFactory(
            given_name="Marie",
            family_name="Curie",
            title="Researcher",
            department="Research",
            employment_type="intern",
            start_date=dt.date(2024, 9, 1),
            end_date=dt.date(2025, 8, 31),
            manager=boss,
        ),
        "rosalind": EmployeeFactory(
            given_name="Rosalind",
            family_name="Franklin",
            title="Sales lead",
            department="Sales",
            employment_type="full_time",
            active=False,
        ),
    }


def names(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.json()
    return [row["given_name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter[department]=Engineering", ["Grace", "Alan"]),
        ("filter[department]=engineering", ["Grace", "Alan"]),
        ("filter[title][contains]=ENGINEER", ["Grace", "Alan"]),
        ("filter[family_name][startswith]=cu", ["Marie"]),
        ("filter[department][in]=Research,Sales", ["Marie", "Rosalind"]),
        ("filter[employment_type]=full_time", ["Rosalind", "Grace"]),
        ("filter[employment_type][in]=intern,contractor", ["Marie", "Alan"]),
        ("filter[active]=false", ["Rosalind"]),
        ("filter[active]=true&filter[department]=Engineering", ["Grace", "Alan"]),
        ("filter[start_date][gte]=2023-06-01", ["Marie", "Alan"]),
        ("filter[start_date][gt]=2023-06-01", ["Marie"]),
        ("filter[start_date][lt]=2023-06-01", ["Grace"]),
        ("filter[start_date][gte]=2021-01-01&filter[start_date][lte]=2023-12-31", ["Alan"]),
        ("filter[start_date]=2020-03-01", ["Grace"]),
        ("filter[start_date][isnull]=true", ["Rosalind"]),
        ("filter[end_date][isnull]=false", ["Marie"]),
        ("filter[manager_id][isnull]=true", ["Rosalind", "Grace"]),
        ("filter[created_at][gte]=2000-01-01T00:00:00Z", ["Marie", "Rosalind", "Grace", "Alan"]),
        ("filter[updated_at][lt]=2000-01-01", []),
        ("filter[department]=Nowhere", []),
    ],
)
def test_filters(api_client, staff, query, expected):
    response = api_client.get(f"/api/v1/employees/?select=given_name&{query}")

    assert names(response) == expected


def test_filter_by_manager_and_id(api_client, staff):
    boss, marie, alan = staff["boss"], staff["marie"], staff["alan"]

    by_manager = api_client.get(
        f"/api/v1/employees/?select=given_name&filter[manager_id]={boss.public_id}"
    )
    by_id = api_client.get(
        f"/api/v1/employees/?select=given_name&filter[id][in]={marie.public_id},{alan.public_id}"
    )

    assert names(by_manager) == ["Marie", "Alan"]
    assert names(by_id) == ["Marie", "Alan"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=given_name", ["Alan", "Grace", "Marie", "Rosalind"]),
        ("sort=-given_name", ["Rosalind", "Marie", "Grace", "Alan"]),
        ("sort=department,-family_name", ["Alan", "Grace", "Marie", "Rosalind"]),
        ("sort=-start_date", ["Rosalind", "Marie", "Alan", "Grace"]),
    ],
)
def test_sort(api_client, staff, query, expected, settings):
    response = api_client.get(f"/api/v1/employees/?select=given_name&{query}")

    if "start_date" in query and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # SQLite sorts NULL first ascending, last descending; PostgreSQL the other way.
        expected = ["Marie", "Alan", "Grace", "Rosalind"]
    assert names(response) == expected


def test_limit_offset_pages_with_links_and_total(api_client, staff):
    first = api_client.get("/api/v1/employees/?select=given_name&sort=given_name&limit=3")
    second = api_client.get(first.json()["next"])

    assert first.json() == {
        "count": 4,
        "limit": 3,
        "offset": 0,
        "next": "http://testserver/api/v1/employees/?limit=3&offset=3&select=given_name&sort=given_name",
        "previous": None,
        "results": [
            {"id": str(staff["alan"].public_id), "given_name": "Alan"},
            {"id": str(staff["boss"].public_id), "given_name": "Grace"},
            {"id": str(staff["marie"].public_id), "given_name": "Marie"},
        ],
    }
    assert second.json() == {
        "count": 4,
        "limit": 3,
        "offset": 3,
        "next": None,
        "previous": "http://testserver/api/v1/employees/?limit=3&select=given_name&sort=given_name",
        "results": [{"id": str(staff["rosalind"].public_id), "given_name": "Rosalind"}],
    }


def test_offset_past_the_end_is_an_empty_page(api_client, staff):
    response = api_client.get("/api/v1/employees/?offset=100")

    assert response.json()["count"] == 4
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("select=given_name,salary", "select", "Unknown field 'salary'."),
        ("select=", "select", "Name at least one field."),
        ("sort=salary", "sort", "Cannot sort by 'salary'."),
        ("sort=manager", "sort", "Cannot sort by 'manager'."),
        ("sort=given_name,-given_name", "sort", "given_name is given more than once."),
        ("limit=0", "limit", "Ensure this value is greater than or equal to 1."),
        ("limit=201", "limit", "Ensure this value is less than or equal to 200."),
        ("limit=ten", "limit", "A valid integer is required."),
        ("offset=-1", "offset", "Ensure this value is greater than or equal to 0."),
        ("offset=99999999999999999999", "offset", "Ensure this value is less than or equal"),
        ("limit=5&limit=6", "limit", "Give this parameter only once."),
        ("filter[salary]=1", "filter[salary]", "Unknown field 'salary'."),
        ("filter[title][regex]=x", "filter[title][regex]", "Unknown operator 'regex' for title."),
        ("filter[active][contains]=t", "filter[active][contains]", "Unknown operator"),
        ("filter[start_date]=yesterday", "filter[start_date]", "Date has wrong format."),
        ("filter[start_date][gte]=2024-13-01", "filter[start_date][gte]", "Date has wrong"),
        ("filter[created_at][gte]=soon", "filter[created_at][gte]", "Datetime has wrong"),
        ("filter[active]=maybe", "filter[active]", "Must be a valid boolean."),
        ("filter[manager_id]=42", "filter[manager_id]", "Must be a valid UUID."),
        ("filter[employment_type]=boss", "filter[employment_type]", '"boss" is not a valid'),
        (
            "filter[department]=a%00b",
            "filter[department]",
            "filter[department] must not contain NUL characters.",
        ),
        ("filter=Sales", "filter", "Write filters as filter[<field>]=<value>"),
        ("filter[a][b][c]=1", "filter[a][b][c]", "Write filters as"),
        ("page=2", "page", "Unknown parameter."),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api_client, staff, query, parameter, message):
    response = api_client.get(f"/api/v1/employees/?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert body["detail"] == f"The request is invalid: {parameter}."
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0].startswith(message)


def test_in_filter_takes_at_most_100_values(api_client):
    values = ",".join(f"d{n}" for n in range(101))

    response = api_client.get(f"/api/v1/employees/?filter[department][in]={values}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"filter[department][in]": ["Give at most 100 values."]}
