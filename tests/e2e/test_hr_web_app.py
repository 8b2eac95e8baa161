"""The HR web app in a real browser: an HR admin's day and an employee's own profile."""

import re

import pytest
from playwright.sync_api import expect

from employees.models import ChangeAction, Employee
from employees.validators import E164_MESSAGE
from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company():
    ceo = EmployeeFactory(
        given_name="Åsa", family_name="Öberg", title="Chief Executive", department="Board"
    )
    vp = EmployeeFactory(
        given_name="José", family_name="Núñez", title="VP Engineering", manager=ceo
    )
    engineer = EmployeeFactory(given_name="Zoë", family_name="Brontë", title="Engineer", manager=vp)
    for given, family in [("Björn", "Ångström"), ("Chloé", "Dubois"), ("Liam", "Smith")]:
        EmployeeFactory(given_name=given, family_name=family, title="Engineer", manager=vp)
    return {"ceo": ceo, "vp": vp, "engineer": engineer}


def test_hr_admin_searches_edits_and_deactivates(page, sign_in, screenshot, company):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    sign_in("hana.hr")
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    screenshot("hr-home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Employees").click()
    expect(page.get_by_text("6 employees")).to_be_visible()
    screenshot("directory")

    # Search as you type: the results change without submitting the form.
    page.get_by_label("Search").press_sequentially("NÚÑ", delay=40)
    rows = page.locator("#directory-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Núñez, José")
    expect(page).to_have_url(re.compile(r"q=N%C3%9A%C3%91"))
    screenshot("directory-search")

    rows.first.get_by_role("link", name="Núñez, José").click()
    expect(page.get_by_role("heading", level=1, name="José Núñez")).to_be_visible()
    screenshot("profile")

    # Follow the manager chain to the top.
    page.locator("ol.chain").get_by_role("link", name="Åsa Öberg").click()
    expect(page.get_by_role("heading", level=1, name="Åsa Öberg")).to_be_visible()
    expect(page.get_by_text("No manager: top of the organisation.")).to_be_visible()
    page.get_by_role("link", name="José Núñez").first.click()

    # Edit the title and see it in the history.
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Chief Technology Officer")
    screenshot("edit")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes to José Núñez were saved.")).to_be_visible()
    history = page.locator("table.history")
    expect(history).to_contain_text("VP Engineering")
    expect(history.locator("ins").first).to_have_text("Chief Technology Officer")
    expect(history).to_contain_text("Hana Holm")
    screenshot("profile-history")

    # A bad phone number: the message appears beside the field and nothing is saved.
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Work phone").fill("617 555 1212")
    page.get_by_role("button", name="Save changes").click()
    phone_field = page.locator(".field", has=page.get_by_label("Work phone"))
    expect(phone_field.locator(".field-error")).to_have_text(E164_MESSAGE)
    screenshot("edit-bad-phone")
    assert Employee.objects.get(pk=company["vp"].pk).work_phone == ""

    # Deactivate with confirmation, then reactivate.
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Deactivate").click()
    expect(page.get_by_role("heading", name="Deactivate José Núñez?")).to_be_visible()
    screenshot("deactivate-confirm")
    page.get_by_label("Reason for leaving").select_option(label="Resigned")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("José Núñez was deactivated.")).to_be_visible()
    expect(page.locator(".subtitle .badge")).to_have_text("Inactive")
    page.get_by_role("link", name="Reactivate").click()
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_text("José Núñez was reactivated.")).to_be_visible()
    expect(page.locator(".subtitle .badge")).to_have_text("Active")
    actions = list(
        Employee.objects.get(pk=company["vp"].pk).changes.values_list("action", flat=True)
    )
    assert actions == [ChangeAction.REACTIVATED, ChangeAction.DEACTIVATED, ChangeAction.UPDATED]


def test_org_chart_expands_level_by_level_with_the_keyboard(page, sign_in, screenshot, company):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    sign_in("hana.hr")
    page.goto("/org-chart/")
    ceo_toggle = page.get_by_role("link", name="Show the 1 report of Åsa Öberg")
    expect(ceo_toggle).to_have_attribute("aria-expanded", "false")
    ceo_toggle.focus()
    page.keyboard.press("Enter")
    expect(ceo_toggle).to_have_attribute("aria-expanded", "true")
    vp_toggle = page.get_by_role("link", name="Show the 4 reports of José Núñez")
    vp_toggle.click()
    expect(page.get_by_role("link", name="Zoë Brontë")).to_be_visible()
    expect(page.locator(".org-node")).to_have_count(6)
    expect(page).to_have_url(re.compile(r"/org-chart/$"))  # expanded in place
    screenshot("org-chart")


def test_directory_on_a_phone(page, sign_in, screenshot, company):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("hana.hr")
    page.goto("/employees/")
    expect(page.get_by_text("Núñez, José")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    screenshot("directory-phone")
    page.goto(f"/employees/{company['engineer'].public_id}/")
    screenshot("profile-phone")


def test_employee_sees_only_their_own_profile(page, sign_in, screenshot, company):
    user = UserFactory(username="zoe@contoso.com", first_name="Zoë", last_name="Brontë")
    Employee.objects.filter(pk=company["engineer"].pk).update(user=user)
    sign_in("zoe@contoso.com")
    expect(page.get_by_role("heading", level=1, name="Zoë Brontë")).to_be_visible()
    expect(page.locator("ol.chain")).to_contain_text("José Núñez")
    expect(page.locator("ol.chain")).to_contain_text("Åsa Öberg")
    nav = page.get_by_role("navigation", name="Main")
    # Their profile, their time off, checklist tasks they may be given, and notifications.
    expect(nav.get_by_role("link")).to_have_text(
        ["My profile", "Time off", "My tasks", "Notifications"]
    )
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    screenshot("my-profile")

    page.goto("/employees/")
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    page.goto(f"/employees/{company['vp'].public_id}/")
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    screenshot("employee-refused")


def test_manager_field_suggests_employees_as_you_type(page, sign_in, company):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    sign_in("hana.hr")
    page.goto(f"/employees/{company['engineer'].public_id}/edit/")
    page.get_by_label("Manager").fill("")
    page.get_by_label("Manager").press_sequentially("öbe", delay=40)
    options = page.locator("#manager-suggestions option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", company["ceo"].user_name)
