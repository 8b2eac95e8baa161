"""Departments: the managed records with their active headcounts."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from organisation.models import Department
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_departments_with_headcounts(api_client):
    engineering = Department.objects.create(name="Engineering", cost_center="4100")
    platform = Department.objects.create(name="Platform", parent=engineering)
    sales = Department.objects.create(name="Sales")
    Department.objects.create(name="Old", archived_at=timezone.now())
    head = EmployeeFactory(department_record=engineering, department="Engineering")
    engineering.head = head
    engineering.save()
    EmployeeFactory.create_batch(2, department_record=engineering, department="Engineering")
    EmployeeFactory(department_record=sales, department="Sales")
    EmployeeFactory(department_record=sales, department="Sales", active=False)
    EmployeeFactory(department_record=sales, deleted_at=timezone.now(), active=False)

    response = api_client.get("/api/v1/departments/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 3,
        "results": [
            {
                "id": str(engineering.public_id),
                "name": "Engineering",
                "parent": None,
                "head": str(head.public_id),
                "cost_center": "4100",
                "headcount": 3,
            },
            {
                "id": str(platform.public_id),
                "name": "Platform",
                "parent": str(engineering.public_id),
                "head": None,
                "cost_center": "",
                "headcount": 0,
            },
            {
                "id": str(sales.public_id),
                "name": "Sales",
                "parent": None,
                "head": None,
                "cost_center": "",
                "headcount": 1,
            },
        ],
    }


def test_departments_when_nobody_works_here(api_client):
    assert api_client.get("/api/v1/departments/").json() == {"count": 0, "results": []}


def test_departments_take_no_parameters(api_client):
    response = api_client.get("/api/v1/departments/?sort=name")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"sort": ["Unknown parameter. This list takes none."]}


def test_departments_are_read_only(api_client):
    response = api_client.post("/api/v1/departments/", {"name": "New"}, format="json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
