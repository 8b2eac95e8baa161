"""HR's page of a person's policies: why a policy applies, setting one by hand, own working days."""

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError

from time_off.accrual import accrue
from time_off.models import LeaveType, Policy, PolicyAssignment
from time_off.services import policy_assignment_set, request_create, request_quote

pytestmark = pytest.mark.django_db

# Monday 4 to Sunday 10 January 2027: a full week without holidays.
MONDAY, SUNDAY = dt.date(2027, 1, 4), dt.date(2027, 1, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def part_time(vacation):
    return Policy.objects.create(
        name="Part-time vacation", leave_type=vacation, yearly_allowance=Decimal("15"), priority=200
    )


def _url(employee) -> str:
    return f"/time-off/people/{employee.public_id}/policies/"


def _post(client, employee, leave_type, **fields):
    prefix = f"type-{leave_type.pk}"
    data = {"leave_type": prefix, f"{prefix}-policy": fields.get("policy", "")}
    data[f"{prefix}-work_days"] = fields.get("work_days", [])
    return client.post(_url(employee), data, follow=True)


def test_only_hr_admins_open_or_post_the_page(client, worker, manager_user, vacation, policy):
    response = client.get(_url(worker))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/sign-in/?next=")
    for user in (worker.user, manager_user):
        client.force_login(user)
        assert client.get(_url(worker)).status_code == HTTPStatus.FORBIDDEN
        response = client.post(
            _url(worker),
            {"leave_type": f"type-{vacation.pk}", f"type-{vacation.pk}-policy": str(policy.pk)},
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PolicyAssignment.objects.exists()
    person_page = client.get(f"/time-off/people/{worker.public_id}/").content.decode()
    assert "Policies and working days" not in person_page


def test_hr_sees_the_rule_and_reaches_the_page_from_the_person(
    hr_admin_client, worker, vacation, policy, stockholm
):
    local = Policy.objects.create(
        name="Stockholm vacation", leave_type=vacation, yearly_allowance=30, location=stockholm
    )
    person_page = hr_admin_client.get(f"/time-off/people/{worker.public_id}/").content.decode()
    assert _url(worker) in person_page
    text = hr_admin_client.get(_url(worker)).content.decode()
    assert local.name in text
    assert "by rule: Location: Stockholm" in text
    assert "Working days: Mon, Tue, Wed, Thu, Fri" in text


def test_hr_sets_a_policy_and_own_working_days_by_hand_then_goes_back_to_the_rules(
    hr_admin_client, worker, vacation, policy, part_time
):
    response = _post(
        hr_admin_client, worker, vacation, policy=str(part_time.pk), work_days=["0", "1", "2"]
    )
    text = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Vacation: policy saved." in text
    assert "— set by hand" in text
    assert "Working days: Mon, Tue, Wed (own working days)" in text
    assignment = PolicyAssignment.objects.get(employee=worker, leave_type=vacation)
    assert (assignment.policy, assignment.work_week) == (part_time, "012")

    response = _post(hr_admin_client, worker, vacation, policy="")
    text = response.content.decode()
    assert not PolicyAssignment.objects.exists()
    assert "by rule: Everyone" in text
    assert "Working days: Mon, Tue, Wed, Thu, Fri" in text


def test_own_working_days_without_a_policy_is_an_error_beside_the_field(
    hr_admin_client, worker, vacation, policy
):
    response = _post(hr_admin_client, worker, vacation, work_days=["0"])
    text = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert f'id="id_type-{vacation.pk}-work_days_error"' in text
    assert "To give this person their own working days, choose a policy." in text
    assert not PolicyAssignment.objects.exists()


def test_a_policy_of_another_leave_type_is_refused(hr_admin_client, worker, vacation, policy):
    sick = LeaveType.objects.create(name="Sick leave")
    sick_policy = Policy.objects.create(name="Sick", leave_type=sick, yearly_allowance=10)
    response = _post(hr_admin_client, worker, vacation, policy=str(sick_policy.pk))
    assert f'id="id_type-{vacation.pk}-policy_error"' in response.content.decode()
    assert not PolicyAssignment.objects.exists()
    with pytest.raises(ValidationError, match="Choose a policy of Vacation"):
        policy_assignment_set(employee=worker, leave_type=vacation, policy=sick_policy)


def test_a_part_time_week_makes_a_full_week_cost_three_days(
    hr_admin_client, worker, worker_actor, vacation, policy, part_time
):
    assert request_quote(
        employee=worker, leave_type=vacation, start_date=MONDAY, end_date=SUNDAY
    ).cost == Decimal("5")
    _post(hr_admin_client, worker, vacation, policy=str(part_time.pk), work_days=["0", "1", "2"])
    hr_admin_client.force_login(worker.user)
    preview = hr_admin_client.post(
        "/time-off/new/",
        {
            "leave_type": vacation.pk,
            "start_date": MONDAY.isoformat(),
            "end_date": SUNDAY.isoformat(),
            "check": "1",
        },
    ).content.decode()
    assert "Cost: 3 working days" in preview
    accrue(today=dt.date(2026, 12, 2))
    request = request_create(
        employee=worker, leave_type=vacation, start_date=MONDAY, end_date=SUNDAY, actor=worker_actor
    )
    assert request.amount == Decimal("3")
    # Without own working days, the part-time policy's days (Monday to Friday) count again.
    policy_assignment_set(employee=worker, leave_type=vacation, policy=part_time)
    assert request_quote(
        employee=worker, leave_type=vacation, start_date=MONDAY, end_date=SUNDAY
    ).cost == Decimal("5")


def test_the_page_reads_in_constant_queries(
    hr_admin_client, worker, vacation, policy, part_time, django_assert_max_num_queries
):
    for index in range(8):
        leave_type = LeaveType.objects.create(name=f"Leave {index}")
        chosen = Policy.objects.create(
            name=f"Policy {index}", leave_type=leave_type, yearly_allowance=5
        )
        policy_assignment_set(employee=worker, leave_type=leave_type, policy=chosen, work_week="01")
    with django_assert_max_num_queries(10):
        response = hr_admin_client.get(_url(worker))
    assert response.content.decode().count("— set by hand") == 8
