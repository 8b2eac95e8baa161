"""Paging, sorting and projection of User lists (RFC 7644 §3.4.2.4, §3.4.2.3, §3.9), and
queries per request that stay constant as the number of employees grows."""

from http import HTTPStatus

import pytest
from django.db import connection

from employees.models import Employee
from tests.scim_api.conftest import CORE, ENT, LIST, entra_create_body

pytestmark = pytest.mark.django_db


def seed(count, *, with_managers=True):
    """Create `count` employees, each but the first reporting to an earlier one."""
    employees = Employee.objects.bulk_create(
        Employee(
            user_name=f"user{i:04d}@contoso.com",
            given_name=f"Given{i:04d}",
            family_name=f"Family{(count - i):04d}",
            work_email=f"user{i:04d}@contoso.com",
            department=f"Dept{i % 7}",
        )
        for i in range(count)
    )
    if with_managers:
        employees = list(Employee.objects.order_by("pk"))
        for index, employee in enumerate(employees[1:], start=1):
            employee.manager = employees[(index - 1) // 3]
        Employee.objects.bulk_update(employees, ["manager"])
    return list(Employee.objects.order_by("pk"))


def test_pages_are_stable_and_cover_everyone_once(scim):
    everyone = seed(12)

    seen = []
    start = 1
    while True:
        data = scim.get(f"Users?startIndex={start}&count=5").json()
        assert data["totalResults"] == 12
        assert data["startIndex"] == start
        assert data["itemsPerPage"] == len(data["Resources"])
        seen += [r["id"] for r in data["Resources"]]
        if start + len(data["Resources"]) > data["totalResults"]:
            break
        start += len(data["Resources"])
    assert seen == [str(e.public_id) for e in everyone]


def test_count_zero_returns_only_the_total(scim):
    seed(3)

    assert scim.get("Users?count=0").json() == {
        "schemas": [LIST],
        "totalResults": 3,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }


def test_count_is_capped_at_max_results_and_out_of_range_values_are_clamped(scim):
    seed(205, with_managers=False)

    capped = scim.get("Users?count=100000").json()
    negative = scim.get("Users?count=-5&startIndex=-3").json()
    beyond = scim.get("Users?startIndex=999999999999&count=10").json()

    assert (capped["totalResults"], capped["itemsPerPage"]) == (205, 200)
    assert (negative["startIndex"], negative["itemsPerPage"], negative["totalResults"]) == (
        1,
        0,
        205,
    )
    assert (beyond["totalResults"], beyond["itemsPerPage"], beyond["Resources"]) == (205, 0, [])
    assert scim.get("ServiceProviderConfig").json()["filter"] == {
        "supported": True,
        "maxResults": 200,
    }


def test_sort_by_and_sort_order(scim):
    seed(4, with_managers=False)

    ascending = scim.get("Users?sortBy=name.familyName").json()["Resources"]
    descending = scim.get("Users?sortBy=userName&sortOrder=descending").json()["Resources"]

    assert [r["name"]["familyName"] for r in ascending] == [
        "Family0001",
        "Family0002",
        "Family0003",
        "Family0004",
    ]
    assert [r["userName"] for r in descending] == [
        "user0003@contoso.com",
        "user0002@contoso.com",
        "user0001@contoso.com",
        "user0000@contoso.com",
    ]
    bad = scim.get("Users?sortBy=shoeSize")
    assert (bad.status_code, bad.json()["scimType"]) == (HTTPStatus.BAD_REQUEST, "invalidValue")


def test_attributes_and_excluded_attributes(scim):
    boss, report = seed(2)
    Employee.objects.filter(pk=report.pk).update(title="Engineer")

    only = scim.get(
        f"Users/{report.public_id}?attributes=userName,emails.value,{ENT}:manager.value"
    ).json()
    without = scim.get(
        f'Users?filter=id eq "{report.public_id}"&excludedAttributes=meta,name,{ENT},emails'
    ).json()["Resources"][0]

    assert only == {
        "schemas": [CORE, ENT],
        "id": str(report.public_id),
        "userName": "user0001@contoso.com",
        "emails": [{"value": "user0001@contoso.com"}],
        ENT: {"manager": {"value": str(boss.public_id)}},
    }
    assert without == {
        "schemas": [CORE, ENT],
        "id": str(report.public_id),
        "userName": "user0001@contoso.com",
        "title": "Engineer",
        "active": True,
    }


def test_search_endpoint_takes_the_same_parameters_in_its_body(scim):
    seed(3, with_managers=False)

    response = scim.post(
        "Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName sw "user000"',
            "startIndex": 2,
            "count": 1,
            "attributes": ["userName"],
            "sortBy": "userName",
            "sortOrder": "descending",
        },
    )

    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert (data["totalResults"], data["startIndex"], data["itemsPerPage"]) == (3, 2, 1)
    assert [r["userName"] for r in data["Resources"]] == ["user0001@contoso.com"]
    assert set(data["Resources"][0]) == {"schemas", "id", "userName"}


@pytest.mark.parametrize("size", [10, 500])
def test_queries_per_request_do_not_grow_with_the_data(scim, size, django_assert_max_num_queries):
    # Every request: the token check and the provisioning log's INSERT; the first one also
    # stamps the token's last use. Reads add, for a full page, the COUNT; the users' teams
    # (the groups attribute) only for people in a team, which these are not. Writes run in
    # a transaction (a savepoint inside the test's).
    everyone = seed(size)
    target = everyone[-1]
    manager = everyone[0]

    # token, stamp, employee, log (the catalogue's custom field definitions and whether
    # roles are kept are read once a moment per process, not per request)
    with django_assert_max_num_queries(4):
        filtered = scim.get(f'Users?filter=userName eq "{target.user_name.upper()}"')
    assert filtered.json()["totalResults"] == 1

    with django_assert_max_num_queries(4):  # token, page, count, log
        page = scim.get("Users?startIndex=1&count=100")
    assert page.json()["itemsPerPage"] == min(size, 100)

    with django_assert_max_num_queries(5):  # token, the page's ids, its rows, count, log
        later = scim.get("Users?startIndex=5&count=100")
    assert later.json()["itemsPerPage"] == min(size - 4, 100)

    # savepoint and release, token, employee, history, log (the user name's unique
    # constraint, not a lookup, refuses a taken one)
    with django_assert_max_num_queries(6):
        created = scim.post("Users", entra_create_body("new.hire@contoso.com"))
    assert created.status_code == HTTPStatus.CREATED

    # savepoint and release, token, locked employee, update, history, log (the employee
    # number's unique constraint, not a lookup, refuses a taken one)
    with django_assert_max_num_queries(7):
        numbered = scim.patch_ops(
            created.json()["id"],
            {"op": "Add", "path": f"{ENT}:employeeNumber", "value": "E-1"},
            {"op": "Replace", "path": "title", "value": "Engineer"},
        )
    assert numbered.status_code == HTTPStatus.OK

    # savepoint and release, token, locked employee, manager, manager-change lock
    # (PostgreSQL), its chain, update, history, log, and whether time off requests are
    # concerned by the new manager and the deactivation
    with django_assert_max_num_queries(11):
        patched = scim.patch_ops(
            created.json()["id"],
            {"op": "Add", "path": f"{ENT}:manager", "value": str(manager.public_id)},
            {"op": "Replace", "path": "title", "value": "Lead"},
            {"op": "Replace", "path": "active", "value": "False"},
        )
    assert patched.status_code == HTTPStatus.OK


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_filter_repeated_on_a_connection_runs_as_a_prepared_statement(scim):
    seed(3, with_managers=False)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    for number in range(6):
        response = scim.get(f'Users?filter=userName eq "user{number % 3:04d}@contoso.com"')
        assert response.json()["totalResults"] == 1

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "employees_employee"%LOWER(%'],
        )
        prepared = [row[0] for row in cursor.fetchall()]
    # The filter's SELECT, planned once with its value as a parameter ($1), not inlined.
    assert len(prepared) == 1
    assert "$1" in prepared[0] and "user0000" not in prepared[0]
