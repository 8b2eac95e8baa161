"""Queries per request stay constant as the number of employees grows."""

import pytest
from django.core.cache import cache

from employees.models import Employee
from organisation.models import Department
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

# Token lookup (1), last-use stamp (at most 1 a minute), the token's request count in the
# database cache (read 1, then cull count, savepoint, key check, write, release: 5; one
# round trip and no query on Redis), count (1) and page (1). A read takes the custom field
# definitions as SCIM does, kept for a moment (alexis/snapshot.py): no query. A write adds
# the definitions, the service's validation, row lock and history row.
READ_QUERIES = 10
WRITE_QUERIES = 25


def make_employees(count: int) -> Employee:
    """Create `count` employees in three departments under one manager; return the manager."""
    departments = {
        name: Department.objects.create(name=name) for name in ("Sales", "Engineering", "Research")
    }
    boss = EmployeeFactory(
        department="Sales",
        department_record=departments["Sales"],
        user_name="boss@contoso.com",
        title="Director",
    )
    Employee.objects.bulk_create(
        Employee(
            user_name=f"person{n}@contoso.com",
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            work_email=f"person{n}@contoso.com",
            department=("Sales", "Engineering", "Research")[n % 3],
            department_record=departments[("Sales", "Engineering", "Research")[n % 3]],
            title="Engineer" if n % 2 else "Analyst",
            manager=boss,
        )
        for n in range(count - 1)
    )
    cache.clear()
    return boss


@pytest.fixture(params=[10, 1000], ids=["10-employees", "1000-employees"])
def boss(request):
    return make_employees(request.param)


def test_list_queries_are_constant(api_client, boss, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES):
        response = api_client.get(
            "/api/v1/employees/?limit=200&sort=-family_name&filter[title][contains]=eng"
        )
    assert response.status_code == 200
    assert all(row["manager"]["id"] == str(boss.public_id) for row in response.json()["results"])


def test_reports_queries_are_constant(api_client, boss, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES + 1):
        response = api_client.get(f"/api/v1/employees/{boss.public_id}/reports/?limit=200")
    assert response.status_code == 200


def test_retrieve_queries_are_constant(api_client, boss, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES - 1):
        response = api_client.get(f"/api/v1/employees/{boss.public_id}/")
    assert response.status_code == 200


def test_departments_queries_are_constant(api_client, boss, django_assert_max_num_queries):
    with django_assert_max_num_queries(READ_QUERIES - 1):
        response = api_client.get("/api/v1/departments/")
    assert response.json()["count"] == 3


def test_create_and_update_queries_are_constant(api_client, boss, django_assert_max_num_queries):
    with django_assert_max_num_queries(WRITE_QUERIES):
        created = api_client.post(
            "/api/v1/employees/",
            {
                "user_name": "new@contoso.com",
                "given_name": "New",
                "family_name": "Person",
                "work_email": "new@contoso.com",
                "manager_id": str(boss.public_id),
            },
            format="json",
        )
    assert created.status_code == 201
    with django_assert_max_num_queries(WRITE_QUERIES):
        updated = api_client.patch(
            f"/api/v1/employees/{created.json()['id']}/",
            {"title": "Lead", "manager_id": None},
            format="json",
        )
    assert updated.status_code == 200
