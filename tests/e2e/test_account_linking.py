"""An owner links an existing sign-in account to an employee in the Django admin, in a browser."""

import pytest
from playwright.sync_api import expect

from employees.models import Employee
from tests.factories import EmployeeFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_links_an_account_after_a_confirmation_page(page, sign_in, screenshot):
    OwnerFactory(username="olivia.owner", is_staff=True)
    account = UserFactory(username="alice@contoso.com")
    employee = EmployeeFactory(
        user_name="alice@contoso.com", given_name="Alice", family_name="Archer"
    )
    sign_in("olivia.owner")

    page.goto("/admin/employees/employee/")
    page.get_by_role("row", name="alice@contoso.com").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("link_sign_in_account")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("heading", name="Link sign-in accounts")).to_be_visible()
    expect(page.get_by_role("row", name="Alice Archer")).to_contain_text("Will be linked")
    screenshot("admin-link-sign-in-account")
    assert Employee.objects.get(pk=employee.pk).user_id is None
    page.get_by_role("button", name="Yes, I'm sure").click()

    expect(page.get_by_text("Linked 1 sign-in account.")).to_be_visible()
    assert Employee.objects.get(pk=employee.pk).user_id == account.pk
    page.goto(f"/employees/{employee.public_id}/")
    expect(page.locator("ul.changes").first).to_contain_text("Sign-in account: alice@contoso.com")
