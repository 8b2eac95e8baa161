"""The HR dashboard: figures aggregated in SQL, cached, with a table behind each chart."""

import datetime as dt
import random
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.selectors import TOP_GROUPS, _months, dashboard_figures
from tests.factories import EmployeeFactory, ProvisioningEventFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _month(figures, label):
    return next(m for m in figures["monthly"] if m["label"] == label)


def test_headcount_joiners_and_leavers_per_month():
    EmployeeFactory(start_date=dt.date(2020, 1, 1))
    EmployeeFactory(start_date=dt.date(2026, 3, 15))  # joins in March
    EmployeeFactory(start_date=dt.date(2019, 5, 1), end_date=dt.date(2026, 6, 30), active=False)
    EmployeeFactory(start_date=None, active=False, end_date=None)  # left, date unknown
    EmployeeFactory(start_date=dt.date(2027, 1, 5))  # not yet started
    EmployeeFactory(start_date=dt.date(2020, 1, 1), deleted_at=timezone.now())

    figures = dashboard_figures(today=TODAY)

    labels = [m["label"] for m in figures["monthly"]]
    assert labels[0] == "Jan 2026"
    assert labels[-1] == "Dec 2026"
    assert _month(figures, "Feb 2026")["headcount"] == 2
    assert _month(figures, "Mar 2026") | {"label": None} == {
        "label": None,
        "headcount": 3,
        "joiners": 1,
        "leavers": 0,
    }
    assert _month(figures, "Jun 2026")["leavers"] == 1
    assert _month(figures, "Jun 2026")["headcount"] == 2  # the last day is the end date
    assert _month(figures, "Dec 2026")["headcount"] == 2


def test_departments_show_the_largest_then_others():
    for i in range(TOP_GROUPS + 2):
        for _ in range(i + 1):
            EmployeeFactory(department=f"Dept {i:02}", location="")
    EmployeeFactory(department="Dept 99", active=False)

    figures = dashboard_figures(today=TODAY)

    departments = figures["departments"]
    assert departments[0] == {"label": f"Dept {TOP_GROUPS + 1:02}", "count": TOP_GROUPS + 2}
    assert departments[-1] == {"label": "Others", "count": 1 + 2}
    assert len(departments) == TOP_GROUPS + 1
    assert figures["locations"][0]["label"] == "Not set"


def test_provisioning_requests_and_failures_per_day():
    now = timezone.now()
    ProvisioningEventFactory(occurred_at=now, status=200)
    ProvisioningEventFactory(occurred_at=now, status=409)
    ProvisioningEventFactory(occurred_at=now - dt.timedelta(days=40), status=500)

    days = dashboard_figures()["provisioning"]

    assert len(days) == 30
    assert (days[-1]["requests"], days[-1]["failures"]) == (2, 1)
    assert sum(d["requests"] for d in days) == 2


def _expected_month(people, month_start, month_end):
    def employed(person, day):
        started = person.start_date is None or person.start_date <= day
        not_ended = (person.end_date is not None and person.end_date > day) or (
            person.end_date is None and person.active
        )
        return started and not_ended

    return {
        "headcount": sum(employed(p, month_end) for p in people),
        "joiners": sum(
            p.start_date is not None and month_start <= p.start_date <= month_end for p in people
        ),
        "leavers": sum(
            p.end_date is not None and month_start <= p.end_date <= month_end for p in people
        ),
    }


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 11, 30), dt.date(2026, 3, 1)])
def test_monthly_figures_match_a_count_person_by_person(today):
    """Every month's figures equal the definition applied to each person, in the current
    month too, where people start or leave before, on and after today."""
    rng = random.Random(7)
    days = [today + dt.timedelta(days=offset) for offset in (-1, 0, 1, 2)]
    people = []
    for _ in range(150):
        start = rng.choice(
            [None, *days, today - dt.timedelta(days=rng.randint(0, 500)), dt.date(2010, 1, 1)]
        )
        end = rng.choice([None, None, *days, today - dt.timedelta(days=rng.randint(0, 400))])
        if start is not None and end is not None and end < start:
            start, end = end, start
        people.append(EmployeeFactory(start_date=start, end_date=end, active=rng.random() < 0.8))

    figures = dashboard_figures(today=today)

    for month, row in zip(_months(today), figures["monthly"], strict=True):
        assert row["label"] == month.label
        expected = _expected_month(people, month.start, month.end)
        assert {k: row[k] for k in expected} == expected, month.label


def _data_queries(context):
    # The database cache's own statements (read, cull, write) are not the figures' cost.
    return [
        q["sql"]
        for q in context.captured_queries
        if "alexis_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


@pytest.mark.parametrize("size", [5, 200])
def test_figures_take_three_queries_then_come_from_the_cache(size):
    EmployeeFactory.create_batch(size)
    with CaptureQueriesContext(connection) as cold:
        first = dashboard_figures(today=TODAY)
    assert len(_data_queries(cold)) == 3
    with CaptureQueriesContext(connection) as warm:
        assert dashboard_figures(today=TODAY) == first
    assert _data_queries(warm) == []


def test_page_has_a_table_behind_every_chart(hr_admin_client):
    EmployeeFactory(department="Engineering", location="Berlin")
    response = hr_admin_client.get("/dashboard/")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert page.count('data-chart="') == 5
    assert page.count("<table>") == 5
    assert page.count("Show the numbers") == 5
    assert '<th scope="row">Engineering</th><td>1</td>' in page
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
    assert 'href="/dashboard/" aria-current="page"' in page


def test_only_hr_sees_the_dashboard(employee_client):
    assert employee_client.get("/dashboard/").status_code == HTTPStatus.FORBIDDEN
