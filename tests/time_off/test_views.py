"""The time off pages: who sees what, what the forms say, and constant queries."""

import datetime as dt
import re
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from audit.actor import Actor
from audit.models import Channel
from organisation.models import Department, Location
from tests.factories import EmployeeFactory, UserFactory
from time_off.accrual import accrue
from time_off.models import (
    Balance,
    HolidayRegion,
    LeaveType,
    Policy,
    PublicHoliday,
    Status,
    TimeOffRequest,
)
from time_off.services import feed_create, request_create, request_decide

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker.user)
    return client


@pytest.fixture
def request_made(worker, vacation, policy, worker_actor):
    accrue(today=dt.date(2026, 12, 2))
    return request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2026, 12, 25),
        actor=worker_actor,
    )


def test_checking_a_request_shows_cost_and_balance_after(worker_client, vacation, policy, worker):
    accrue(today=dt.date(2026, 12, 2))
    response = worker_client.post(
        "/time-off/new/",
        {
            "leave_type": vacation.pk,
            "start_date": "2026-12-23",
            "end_date": "2026-12-25",
            "check": "1",
        },
    )
    text = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Cost: 2 working days" in text
    assert "Christmas Eve" in text
    assert "Balance after: <strong>23</strong>" in text
    assert not TimeOffRequest.objects.exists()


def test_a_refused_request_shows_the_reason_beside_the_field(worker_client, vacation, policy):
    response = worker_client.post(
        "/time-off/new/",
        {
            "leave_type": vacation.pk,
            "start_date": "2026-12-23",
            "end_date": "2026-12-25",
            "send": "1",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "This costs 2 days but your balance allows 0 days." in response.content.decode()
    assert not TimeOffRequest.objects.exists()


def test_sending_a_request_redirects_to_it(worker_client, vacation, worker):
    response = worker_client.post(
        "/time-off/new/",
        {
            "leave_type": vacation.pk,
            "start_date": "2026-12-23",
            "end_date": "2026-12-25",
            "note": "Family",
            "send": "1",
        },
    )
    request = TimeOffRequest.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/time-off/requests/{request.public_id}/"
    assert request.note == "Family"


def test_the_manager_approves_from_the_request_page(client, request_made, manager_user):
    client.force_login(manager_user)
    page = client.get(f"/time-off/requests/{request_made.public_id}/")
    assert b'name="approve"' in page.content

    response = client.post(
        f"/time-off/requests/{request_made.public_id}/decide/", {"approve": "1", "comment": ""}
    )

    assert response.status_code == HTTPStatus.FOUND
    request_made.refresh_from_db()
    assert request_made.status == Status.APPROVED


def test_the_requester_sees_no_approve_button_and_cannot_post(worker_client, request_made):
    page = worker_client.get(f"/time-off/requests/{request_made.public_id}/")
    assert b'name="approve"' not in page.content
    response = worker_client.post(
        f"/time-off/requests/{request_made.public_id}/decide/", {"approve": "1"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_colleague_cannot_open_someone_elses_request(client, request_made):
    user = UserFactory(username="colleague@contoso.com")
    EmployeeFactory(user=user, user_name=user.username)
    client.force_login(user)
    assert client.get(f"/time-off/requests/{request_made.public_id}/").status_code == 403
    balance = Balance.objects.get(employee=request_made.employee)
    assert client.get(f"/time-off/balances/{balance.public_id}/").status_code == 403


def test_denying_without_a_comment_says_why(client, request_made, manager_user):
    client.force_login(manager_user)
    response = client.post(
        f"/time-off/requests/{request_made.public_id}/decide/", {"deny": "1", "comment": ""}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Say why you deny the request." in response.content.decode()


def test_the_ledger_explains_the_balance(worker_client, request_made):
    balance = Balance.objects.get(employee=request_made.employee)
    text = worker_client.get(f"/time-off/balances/{balance.public_id}/").content.decode()
    assert "Allowance for the year from 1 Jan 2026" in text
    assert "Vacation 23 Dec to 25 Dec 2026" in text
    assert "data-balance>23</strong>" in text


def test_team_page_lists_pending_requests_in_constant_queries(
    client, manager_user, vacation, django_assert_max_num_queries
):
    manager = manager_user.employee
    for index in range(12):
        person = EmployeeFactory(manager=manager)
        request_create(
            employee=person,
            leave_type=vacation,
            start_date=dt.date(2027, 1, 4) + dt.timedelta(days=7 * index),
            end_date=dt.date(2027, 1, 5) + dt.timedelta(days=7 * index),
            actor=Actor(channel=Channel.WEB),
        )
    client.force_login(manager_user)
    with django_assert_max_num_queries(12):
        response = client.get("/time-off/team/")
    assert response.content.decode().count("/time-off/requests/") == 12


def test_calendar_month_in_constant_queries_and_private_types_show_as_away(
    client, employee_user, django_assert_max_num_queries
):
    sick = LeaveType.objects.create(name="Sick leave", private=True, needs_approval=False)
    department = Department.objects.create(name="Engineering")
    for index in range(8):
        person = EmployeeFactory(department_record=department)
        request_create(
            employee=person,
            leave_type=sick,
            start_date=dt.date(2026, 12, 1 + index),
            end_date=dt.date(2026, 12, 3 + index),
            actor=Actor(channel=Channel.WEB),
        )
    client.force_login(employee_user)
    with django_assert_max_num_queries(12):
        response = client.get(f"/time-off/calendar/?month=2026-12&department={department.pk}")
    text = response.content.decode()
    assert "8 people away this month" in text
    assert "Sick leave" not in text
    assert "Away" in text


def test_calendar_feed_is_icalendar_and_revocable(client, request_made, worker):
    secret = feed_create(employee=worker)
    response = client.get(f"/time-off/feed/{secret}.ics")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt, e["dtend"].dt) for e in events] == [
        ("Vacation (pending)", dt.date(2026, 12, 23), dt.date(2026, 12, 26))
    ]
    assert client.get(f"/time-off/feed/{secret}x.ics").status_code == HTTPStatus.NOT_FOUND
    client.force_login(worker.user)
    client.post("/time-off/feed/revoke/")
    assert client.get(f"/time-off/feed/{secret}.ics").status_code == HTTPStatus.NOT_FOUND


def test_hr_imports_public_holidays_and_removes_one(hr_admin_client):
    location = Location.objects.create(name="Munich", country="DE")

    response = hr_admin_client.post(
        f"/time-off/settings/holidays/{location.pk}/",
        {"action": "region", "country": "de", "subdivision": "by", "year": "2026"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert HolidayRegion.objects.get(location=location).subdivision == "BY"
    names = set(PublicHoliday.objects.filter(location=location).values_list("name", flat=True))
    assert {"Epiphany", "Corpus Christi"} <= names
    epiphany = PublicHoliday.objects.get(location=location, date=dt.date(2026, 1, 6))
    hr_admin_client.post(
        f"/time-off/settings/holidays/{location.pk}/",
        {"action": "remove", "holiday": epiphany.pk, "year": "2026"},
    )
    epiphany.refresh_from_db()
    assert epiphany.removed
    # Importing again does not bring it back.
    hr_admin_client.post(
        f"/time-off/settings/holidays/{location.pk}/", {"action": "import", "year": "2026"}
    )
    assert PublicHoliday.objects.get(pk=epiphany.pk).removed


def test_an_unknown_country_is_an_error_beside_the_field(hr_admin_client):
    location = Location.objects.create(name="Nowhere")
    response = hr_admin_client.post(
        f"/time-off/settings/holidays/{location.pk}/",
        {"action": "region", "country": "XX", "year": "2026"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "The holidays package does not know this country." in response.content.decode()


def test_hr_configures_a_leave_type_and_a_policy(hr_admin_client):
    response = hr_admin_client.post(
        "/time-off/settings/leave-types/new/",
        {"name": "Parental leave", "unit": "days", "paid": "on", "color": "#aa3300"},
    )
    assert response.status_code == HTTPStatus.FOUND
    parental = LeaveType.objects.get(name="Parental leave")
    response = hr_admin_client.post(
        "/time-off/settings/policies/new/",
        {
            "name": "Parental",
            "leave_type": parental.pk,
            "yearly_allowance": "20",
            "accrual": "monthly",
            "reset_month": "1",
            "carry_over_limit": "0",
            "negative_limit": "0",
            "hours_per_day": "8",
            "priority": "100",
            "work_days": ["0", "1", "2", "3"],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    policy = Policy.objects.get(name="Parental")
    assert (policy.work_week, policy.yearly_allowance) == ("0123", Decimal("20"))


def test_employees_cannot_open_settings_or_reports(worker_client):
    for path in ["/time-off/settings/", "/time-off/reports/balances.csv"]:
        assert worker_client.get(path).status_code == HTTPStatus.FORBIDDEN


def test_reports_for_payroll(hr_admin_client, request_made, hr_admin):
    request_decide(
        request=request_made, approve=True, actor=Actor(channel=Channel.WEB, user=hr_admin)
    )
    balances = hr_admin_client.get("/time-off/reports/balances.csv").content.decode()
    assert balances.splitlines() == [
        "Employee number,User name,Name,Leave type,Unit,Balance",
        ",maria.manager@contoso.com,Maria Manager,Vacation,days,25.00",
        ",will.worker@contoso.com,Will Worker,Vacation,days,23.00",
    ]
    taken = hr_admin_client.get("/time-off/reports/taken.csv?year=2026").content.decode()
    assert taken.splitlines() == [
        "Month,Employee number,User name,Name,Leave type,Paid,Unit,Taken",
        "2026-12,,will.worker@contoso.com,Will Worker,Vacation,yes,days,2.00",
    ]


def test_colours_stylesheet(client, vacation):
    response = client.get("/time-off/colours.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert (
        f".absence-calendar .lt-{vacation.pk} {{ background: #2f6fdd; }}"
        in response.content.decode()
    )


def test_team_page_shows_who_is_away_today(client, manager_user, request_made, hr_admin):
    request_decide(
        request=request_made, approve=True, actor=Actor(channel=Channel.WEB, user=hr_admin)
    )
    with time_machine.travel(dt.datetime(2026, 12, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(manager_user)
        text = client.get("/time-off/team/").content.decode()
    assert "Away today" in text
    assert "Will Worker</a>: Vacation until" in text


def test_calendar_pages_fifty_people_at_a_time(client, employee_user, vacation):
    for index in range(51):
        person = EmployeeFactory(family_name=f"Person{index:02d}")
        TimeOffRequest.objects.create(
            employee=person,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 8),
            end_date=dt.date(2026, 12, 8),
            amount=Decimal(1),
            status=Status.APPROVED,
        )
    client.force_login(employee_user)
    first = client.get("/time-off/calendar/?month=2026-12").content.decode()
    assert "People away this month, 1\u201350" in first
    assert "page=2" in first
    second = client.get("/time-off/calendar/?month=2026-12&page=2").content.decode()
    assert "People away this month, 51\u201351" in second
    assert "Person50" in second


def test_calendar_addresses_are_redacted_from_logs(worker):
    from alexis.redaction import redact_text

    secret = feed_create(employee=worker)
    line = f'"GET /time-off/feed/{secret}.ics HTTP/1.1" 200'
    assert secret not in redact_text(line)
    assert redact_text(line) == '"GET /time-off/feed/alxcal_[redacted].ics HTTP/1.1" 200'


def _policy_form(leave_type, **fields):
    return {
        "name": "Vacation with expiry",
        "leave_type": leave_type.pk,
        "yearly_allowance": "25",
        "accrual": "up_front",
        "reset_month": "1",
        "carry_over_limit": "5",
        "negative_limit": "0",
        "hours_per_day": "8",
        "priority": "100",
        "work_days": ["0", "1", "2", "3", "4"],
        **fields,
    }


def test_hr_sets_when_carried_over_days_expire(hr_admin_client, vacation):
    page = hr_admin_client.get("/time-off/settings/policies/new/").content.decode()
    assert "Carried-over days expire after (months)" in page

    response = hr_admin_client.post(
        "/time-off/settings/policies/new/",
        _policy_form(vacation, carry_over_expiry_months="3"),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Policy.objects.get(name="Vacation with expiry").carry_over_expiry_months == 3

    response = hr_admin_client.post(
        "/time-off/settings/policies/new/",
        _policy_form(vacation, name="Too late", carry_over_expiry_months="12"),
    )
    assert response.status_code == HTTPStatus.OK
    assert (
        '<p class="field-error" id="id_carry_over_expiry_months_error">'
        "Ensure this value is less than or equal to 11." in response.content.decode()
    )
    assert not Policy.objects.filter(name="Too late").exists()


def test_the_balance_page_projects_and_then_shows_the_expiry(
    worker_client, worker, policy, worker_actor, django_assert_max_num_queries
):
    policy.carry_over_expiry_months = 3
    policy.save()
    accrue(today=dt.date(2026, 6, 1))
    accrue(today=dt.date(2027, 1, 1))
    balance = Balance.objects.get(employee=worker)
    url = f"/time-off/balances/{balance.public_id}/"

    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        request_create(
            employee=worker,
            leave_type=policy.leave_type,
            start_date=dt.date(2027, 2, 1),
            end_date=dt.date(2027, 2, 2),
            actor=worker_actor,
        )
        worker_client.force_login(worker.user)  # the session of December has expired
        with django_assert_max_num_queries(12):
            text = worker_client.get(url).content.decode()
    assert "data-balance>28</strong>" in text
    assert '2027-12-31">31 Dec 2027</time>: <strong>25</strong>' in text
    assert (
        "less <span data-expiring>3</span> carried over that expire on "
        '<time datetime="2027-04-01">1 Apr 2027</time> unless taken before' in text
    )

    accrue(today=dt.date(2027, 4, 1))
    with time_machine.travel(dt.datetime(2027, 4, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        worker_client.force_login(worker.user)
        text = worker_client.get(url).content.decode()
    assert "Carry-over not used by 1 Apr 2027 (5 carried over, 2 used)" in text
    assert "data-expiring" not in text
    assert "data-balance>25</strong>" in text


def test_the_email_link_survives_sign_in_and_decides_in_one_step(
    client,
    worker,
    vacation,
    worker_actor,
    manager_user,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ALEXIS_SITE_URL = "https://alexis.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        made = request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 28),
            end_date=dt.date(2026, 12, 29),
            actor=worker_actor,
        )
    (message,) = [m for m in mail.outbox if m.to == [manager_user.email]]
    link = re.search(r"https://alexis\.example\.com(/\S+)", message.body).group(1)
    assert link == f"/time-off/requests/{made.public_id}/"

    # A mail scanner (or a signed-out manager) following the link changes nothing.
    response = client.get(link)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/accounts/sign-in/?next={quote(link)}"
    response = client.post(
        "/accounts/sign-in/",
        {
            "username": manager_user.username,
            "password": "correct horse battery staple",
            "next": link,
        },
    )
    assert response["Location"] == link
    page = client.get(link).content.decode()
    made.refresh_from_db()
    assert made.status == Status.PENDING
    assert f'action="/time-off/requests/{made.public_id}/decide/"' in page
    assert 'name="approve"' in page and 'name="deny"' in page

    response = client.post(f"{link}decide/", {"approve": "1"})

    assert response["Location"] == link
    made.refresh_from_db()
    assert (made.status, made.decided_by) == (Status.APPROVED, manager_user)
