import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from employees.models import Channel
from employees.services import Actor, employee_create, employee_deactivate
from tests.employees.conftest import bulk_employees
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_home_shows_headcount_joiners_leavers_and_recent_changes(hr_admin_client, hr_admin):
    today = timezone.localdate()
    EmployeeFactory(
        given_name="Old", family_name="Timer", start_date=today - dt.timedelta(days=400)
    )
    EmployeeFactory(given_name="New", family_name="Joiner", start_date=today - dt.timedelta(days=3))
    EmployeeFactory(
        given_name="Gone", family_name="Leaver", active=False, end_date=today - dt.timedelta(days=2)
    )
    EmployeeFactory(deleted_at=timezone.now())  # not counted
    actor = Actor(channel=Channel.WEB, user=hr_admin)
    added = employee_create(
        actor=actor,
        user_name="ola@contoso.com",
        given_name="Åsa",
        family_name="Öberg",
        work_email="ola@contoso.com",
    )
    employee_deactivate(employee=added, actor=actor)

    response = hr_admin_client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert response.context["counts"] == {"active": 2, "inactive": 2}
    assert [e.family_name for e in response.context["joiners"]] == ["Joiner"]
    assert [e.family_name for e in response.context["leavers"]] == ["Leaver"]
    assert [c.employee.pk for c in response.context["created"]] == [added.pk]
    assert [c.employee.pk for c in response.context["deactivated"]] == [added.pk]
    page = response.content.decode()
    assert (
        '<span class="stat-value">2</span> <span class="stat-label">active employees</span>' in page
    )
    assert f'href="/employees/{added.public_id}/">Åsa Öberg</a>' in page


@pytest.mark.parametrize("size", [10, 1000])
def test_home_queries_do_not_grow(hr_admin_client, size, django_assert_max_num_queries):
    bulk_employees(size, start_date=timezone.localdate())
    # Includes the provisioning health panel's two queries, the leaves to confirm (checklists)
    # and the personal-detail changes waiting for HR (self-service).
    with django_assert_max_num_queries(13):
        response = hr_admin_client.get("/")
    assert response.context["counts"]["active"] == size


def test_no_deactivations_yet_points_at_the_inactive_employees(hr_admin_client):
    EmployeeFactory(active=False)
    EmployeeFactory(active=False)
    page = hr_admin_client.get("/").content.decode()
    assert "No deactivations yet." not in page
    assert "Nobody was deactivated in Alexis yet. 2 employees were already inactive" in page
    assert 'href="/employees/?status=inactive">see who</a>' in page
