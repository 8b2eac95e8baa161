"""Custom fields in a real browser: an owner adds one, HR fills it in, the profile shows it."""

import pytest
from playwright.sync_api import expect

from custom_fields.models import CustomField
from tests.factories import EmployeeFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_adds_a_custom_field_and_sees_it_on_a_profile(page, sign_in, screenshot):
    OwnerFactory(username="olga.owner", first_name="Olga", last_name="Owner")
    employee = EmployeeFactory(given_name="Zoë", family_name="Brontë")
    sign_in("olga.owner")

    page.get_by_text("Settings").click()
    page.get_by_role("link", name="Custom fields").click()
    expect(page.get_by_text("No custom fields yet.")).to_be_visible()
    page.get_by_role("link", name="Add custom field").click()

    # A mistake first: a choice field needs its choices, said beside the field.
    page.get_by_label("Label").fill("Badge colour")
    page.get_by_label("Type").select_option(label="One of a list")
    page.get_by_role("button", name="Add custom field").click()
    expect(page.locator("#id_choices_text_error")).to_have_text(
        "Give at least one choice, one per line."
    )
    page.get_by_label("Choices").fill("Red\nGreen\nBlue")
    page.get_by_label("HR and the employee").check()
    screenshot("custom-field-new")
    page.get_by_role("button", name="Add custom field").click()

    expect(page.get_by_text("The custom field Badge colour was added.")).to_be_visible()
    row = page.locator("tbody tr", has_text="Badge colour")
    expect(row).to_contain_text("badgeColour")
    expect(row).to_contain_text("HR and the employee")
    screenshot("custom-fields")
    assert CustomField.objects.get().name == "badgeColour"

    page.goto(f"/employees/{employee.public_id}/edit/")
    page.get_by_label("Badge colour").select_option("Green")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", level=1, name="Zoë Brontë")).to_be_visible()
    details = page.locator("dl.details")
    expect(details).to_contain_text("Badge colour")
    expect(
        details.locator("dt", has_text="Badge colour").locator("xpath=following-sibling::dd[1]")
    ).to_have_text("Green")
    expect(page.locator("table.history")).to_contain_text("Badge colour")
    screenshot("profile-custom-field")


def test_an_employee_sees_a_colleagues_fields_shared_with_everyone(page, sign_in, screenshot):
    CustomField.objects.create(
        name="firstAider", label="First aider", field_type="boolean", visibility="everyone"
    )
    CustomField.objects.create(
        name="salaryBand", label="Salary band", field_type="number", visibility="hr"
    )
    manager = EmployeeFactory(
        given_name="Ada",
        family_name="Lovelace",
        title="Head of Analysis",
        custom_fields={"firstAider": True, "salaryBand": 9},
    )
    user = UserFactory(username="erin@contoso.com")
    EmployeeFactory(user=user, given_name="Erin", family_name="Employee", manager=manager)
    sign_in("erin@contoso.com")

    page.goto("/me/")
    page.get_by_role("link", name="Ada Lovelace").first.click()

    expect(page.get_by_role("heading", level=1, name="Ada Lovelace")).to_be_visible()
    details = page.locator("dl.details")
    expect(
        details.locator("dt", has_text="First aider").locator("xpath=following-sibling::dd[1]")
    ).to_have_text("Yes")
    expect(details).not_to_contain_text("Salary band")
    screenshot("colleague")


def test_an_owner_sets_the_country_of_phone_numbers(page, sign_in, screenshot):
    OwnerFactory(username="olga.owner")
    sign_in("olga.owner")

    page.get_by_text("Settings").click()
    page.get_by_role("link", name="Provisioning", exact=True).click()
    expect(page.get_by_text("No recorded changes.")).to_be_visible()
    page.get_by_label("Country of phone numbers without a country code").select_option("GB")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved the provisioning settings.")).to_be_visible()
    expect(page.locator("table.history")).to_contain_text("GB (+44)")
    screenshot("provisioning-settings")
