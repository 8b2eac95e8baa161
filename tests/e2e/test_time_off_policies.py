"""HR gives a part-time person their policy and working days by hand, on a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, HRAdminFactory
from time_off.models import LeaveType, Policy, PolicyAssignment

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_hr_sets_a_part_time_week_by_hand_on_a_phone(page, sign_in, screenshot):
    HRAdminFactory(username="harry.hradmin", first_name="Harry", last_name="Hradmin")
    vacation = LeaveType.objects.create(name="Vacation")
    Policy.objects.create(name="Standard vacation", leave_type=vacation, yearly_allowance=25)
    part_time = Policy.objects.create(
        name="Part-time vacation", leave_type=vacation, yearly_allowance=Decimal("15")
    )
    person = EmployeeFactory(given_name="Paula", family_name="Parttime")
    page.set_viewport_size(PHONE)
    sign_in("harry.hradmin")

    page.goto(f"/time-off/people/{person.public_id}/")
    page.get_by_role("link", name="Policies and working days").click()
    expect(page.get_by_text("by rule: Everyone")).to_be_visible()
    page.get_by_label("Policy").select_option(label="Part-time vacation")
    for day in ["Mon", "Tue", "Wed"]:
        page.get_by_label(day, exact=True).check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Vacation: policy saved.")).to_be_visible()
    expect(page.get_by_text("Working days: Mon, Tue, Wed (own working days)")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot("phone-time-off-policies")
    assignment = PolicyAssignment.objects.get(employee=person)
    assert (assignment.policy, assignment.work_week) == (part_time, "012")
