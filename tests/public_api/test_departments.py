"""Departments: distinct values of active employees with headcounts."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_departments_with_headcounts(api_client):
    EmployeeFactory.create_batch(3, department="Engineering")
    EmployeeFactory(department="Sales")
    EmployeeFactory(department="Sales", active=False)
    EmployeeFactory(department="Legal", active=False)
    EmployeeFactory(department="Research", deleted_at=timezone.now(), active=False)
    EmployeeFactory(department="")

    response = api_client.get("/api/v1/departments/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "count": 2,
        "results": [
            {"name": "Engineering", "headcount": 3},
            {"name": "Sales", "headcount": 1},
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
