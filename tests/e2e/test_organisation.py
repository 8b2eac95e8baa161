"""HR sets up the organisation in a real browser: add, rename, merge, see the department chart."""

import pytest
from playwright.sync_api import expect

from audit.actor import Actor
from audit.models import Channel
from employees.models import Employee
from employees.services import employee_update
from organisation.models import Department
from tests.factories import EmployeeFactory, HRAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_adds_renames_and_merges_departments(page, sign_in, screenshot):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Hr")
    head = EmployeeFactory(given_name="Ada", family_name="Lovelace", department="")
    member = EmployeeFactory(department="")
    employee_update(
        employee=member, actor=Actor(channel=Channel.SYSTEM), data={"department": "Sales EMEA"}
    )
    assert Employee.objects.get(pk=member.pk).department_record.name == "Sales EMEA"

    sign_in("hana.hr")
    page.get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("heading", name="Departments")).to_be_visible()
    page.get_by_role("link", name="Add department").click()
    page.get_by_label("Name").fill("Sales")
    page.get_by_label("Head of department").select_option(label=str(head))
    page.get_by_label("Default cost center").fill("4100")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Added the department “Sales”.")).to_be_visible()

    # A duplicate name is refused beside the field.
    page.get_by_role("link", name="← Departments").click()
    page.get_by_role("link", name="Add department").click()
    page.get_by_label("Name").fill("sales")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The department “Sales” already has this name.")).to_be_visible()

    # Merge the old department into the new one, after a confirmation.
    page.get_by_role("link", name="← Departments").click()
    page.get_by_role("link", name="Sales EMEA").click()
    page.get_by_role("link", name="Merge into another department").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    page.get_by_label("Merge into").select_option(label="Sales")
    screenshot("organisation-merge")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_text("Merged “Sales EMEA” into “Sales”.")).to_be_visible()
    expect(page.get_by_text("Old names that still resolve: Sales EMEA")).to_be_visible()

    member.refresh_from_db()
    assert member.department_record == Department.objects.get(name="Sales", merged_into=None)
    assert Employee.objects.get(pk=member.pk).department == "Sales"

    page.get_by_role("link", name="← Departments").click()
    page.get_by_role("link", name="Department chart").click()
    expect(page.get_by_text("Head: Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("1 employee", exact=True)).to_be_visible()
    screenshot("organisation-department-chart")
