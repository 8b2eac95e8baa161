"""Change history as people read it: labels, Yes/No, dates, choices; never names or reprs."""

import datetime as dt
from http import HTTPStatus

import pytest

from audit.actor import Actor
from audit.display import change_summary, display_value, field_label
from audit.models import ChangeAction, Channel
from employees.models import Employee, EmployeeChange
from employees.services import employee_update
from teams.models import Team
from tests.factories import EmployeeFactory, HRAdminFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_labels_come_from_the_fields_and_unknown_keys_read_as_words():
    assert field_label(Employee, "active") == "Active"
    assert field_label(Employee, "work_phone") == "Work phone"
    assert field_label(Employee, "employment_type") == "Employment type"
    assert field_label(Team, "members_added") == "Members added"
    assert field_label(Employee, "shoe_size", {"shoe_size": "Shoe size (EU)"}) == "Shoe size (EU)"


def test_values_read_as_the_app_shows_them(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    assert display_value(Employee, "active", True) == "Yes"
    assert display_value(Employee, "active", False) == "No"
    assert display_value(Employee, "employment_type", "full_time") == "Full time"
    assert display_value(Employee, "start_date", "2026-03-01") == "1 Mar 2026"
    assert display_value(Employee, "deleted_at", "2026-03-01T09:30:00+00:00") == "1 Mar 2026, 10:30"
    assert display_value(Employee, "title", "") is None
    assert display_value(Employee, "title", None) is None
    # An unknown choice (an older value) is shown as stored rather than lost.
    assert display_value(Employee, "employment_type", "seasonal") == "seasonal"


def test_summary_of_an_update_names_labels_and_values():
    employee = EmployeeFactory(active=False, title="", employment_type="intern")
    actor = Actor(channel=Channel.WEB, user=HRAdminFactory())

    updated = employee_update(
        employee=employee,
        actor=actor,
        data={"active": True, "title": "CTO", "employment_type": "full_time"},
    )

    record = updated.recorded_change
    assert record.action == ChangeAction.REACTIVATED
    assert change_summary(record) == (
        "Active: No → Yes; Employment type: Intern → Full time; Title: (empty) → CTO"
    )


def test_the_profile_history_shows_labels_and_values(hr_admin_client, hr_admin):
    employee = EmployeeFactory(active=True, start_date=None)
    employee_update(
        employee=employee,
        actor=Actor(channel=Channel.WEB, user=hr_admin),
        data={"active": False, "start_date": dt.date(2026, 3, 1)},
    )

    page = hr_admin_client.get(f"/employees/{employee.public_id}/").content.decode()

    history = page.split('id="history-heading"')[1]
    assert "Active</span>: <del>Yes</del> → <ins>No</ins>" in history
    assert "Start date</span>: <ins>1 Mar 2026</ins>" in history
    assert "True" not in history and "False" not in history
    assert "start_date" not in history


def test_the_admin_history_shows_labels_and_values(client):
    staff = HRAdminFactory(is_staff=True)
    client.force_login(staff)
    employee = EmployeeFactory(active=False)
    employee_update(
        employee=employee, actor=Actor(channel=Channel.ADMIN, user=staff), data={"active": True}
    )
    team = TeamFactory(display_name="Platform")

    page = client.get(f"/admin/employees/employee/{employee.pk}/change/").content.decode()
    changelist = client.get("/admin/employees/employeechange/").content.decode()
    team_history = client.get("/admin/teams/teamchange/")

    assert "Active: No → Yes" in page
    assert "Active: No → Yes" in changelist
    assert "&#x27;active&#x27;" not in changelist and "[False, True]" not in changelist
    assert team_history.status_code == HTTPStatus.OK
    assert team.pk is not None


def test_an_entry_of_any_shape_still_reads_as_text():
    employee = EmployeeFactory()
    record = EmployeeChange.objects.create(
        employee=employee,
        action=ChangeAction.UPDATED,
        channel=Channel.SYSTEM,
        changes={"note": "moved", "tags": ["a", "b", "c"]},
    )

    assert change_summary(record) == "Note: (empty) → moved; Tags: (empty) → a, b, c"
