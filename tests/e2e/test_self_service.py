"""Self-service in Chromium: an employee edits their personal details, HR approves."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from employees.models import Employee
from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people():
    erin = UserFactory(username="erin", first_name="Erin", last_name="Eriksson")
    EmployeeFactory(user=erin, given_name="Erin", family_name="Eriksson", title="Engineer")
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    return erin


def test_employee_edits_and_hr_approves(page, sign_in, screenshot, people):
    sign_in("erin")
    page.goto("/me/")
    page.get_by_role("link", name="Edit my personal details").click()
    expect(page.get_by_role("heading", name="My personal details")).to_be_visible()
    expect(page.get_by_text("HR keeps these up to date: ask HR to correct them.")).to_be_visible()
    page.get_by_label("Pronouns").fill("she/her")
    page.get_by_label("Home address").fill("1 Main Street\nSpringfield")
    page.get_by_label("Mobile phone").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_mobile_phone_error")).to_be_visible()
    page.get_by_label("Mobile phone").fill("+16175551213")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: pronouns, mobile phone.")).to_be_visible()
    expect(page.get_by_text("Sent to HR for approval: home address.")).to_be_visible()
    expect(page.get_by_text("Waiting for HR since")).to_be_visible()
    screenshot("self-service-details")
    employee = Employee.objects.get(user=people)
    assert (employee.pronouns, employee.home_address) == ("she/her", "")

    page.context.clear_cookies()
    sign_in("hana.hr")
    page.goto("/notifications/")
    expect(page.get_by_text("Erin Eriksson asks to change their personal details")).to_be_visible()
    page.get_by_role("link", name="Approvals", exact=True).click()
    row = page.locator("tbody tr", has_text="Erin Eriksson")
    expect(row).to_contain_text("Home address")
    expect(row).to_contain_text("1 Main Street")
    screenshot("self-service-approvals")
    row.get_by_role("button", name="Approve the home address of Erin Eriksson").click()
    expect(page.get_by_text("Approved: home address of Erin Eriksson.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()
    employee.refresh_from_db()
    assert employee.home_address == "1 Main Street\nSpringfield"

    # The history names the approver.
    page.goto(f"/employees/{employee.public_id}/")
    expect(page.locator(".history")).to_contain_text("Hana Holm")


def test_hr_chooses_what_needs_approval(page, sign_in, people):
    sign_in("hana.hr")
    page.goto("/approvals/")
    page.get_by_role("link", name="Self-service settings").click()
    pronouns = page.get_by_role("group", name="Pronouns")
    pronouns.get_by_label("Needs HR approval").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the self-service settings.")).to_be_visible()
    expect(pronouns.get_by_label("Needs HR approval")).to_be_checked()


def test_new_pages_on_a_phone(page, sign_in, screenshot, people):
    page.set_viewport_size(PHONE)
    sign_in("erin")
    page.goto("/me/personal-details/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("self-service-details-phone")
    page.context.clear_cookies()
    sign_in("hana.hr")
    for name, path in [
        ("approvals-phone", "/approvals/"),
        ("self-service-settings-phone", "/settings/self-service/"),
        ("org-chart-phone", "/org-chart/"),
    ]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        screenshot(name)


def _loaded_width(image) -> int:
    return image.evaluate(
        "img => img.complete ? img.naturalWidth"
        " : new Promise(done => img.addEventListener('load', () => done(img.naturalWidth)))"
    )


def test_a_photo_waits_for_hr_when_hr_says_so(
    page, sign_in, screenshot, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    picture = tmp_path / "erin.png"
    out = io.BytesIO()
    Image.new("RGB", (500, 400), (200, 60, 90)).save(out, "PNG")
    picture.write_bytes(out.getvalue())

    sign_in("hana.hr")
    page.goto("/settings/self-service/")
    page.get_by_role("group", name="Photo").get_by_label("Needs HR approval").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the self-service settings.")).to_be_visible()

    page.context.clear_cookies()
    sign_in("erin")
    page.goto("/me/personal-details/")
    expect(page.get_by_text("A new photo shows once an HR admin approves it.")).to_be_visible()
    page.get_by_label("Add a photo").set_input_files(str(picture))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Sent to HR for approval: photo.")).to_be_visible()
    waiting = page.get_by_role("img", name="Your new photo, waiting for HR")
    assert _loaded_width(waiting) == 128
    screenshot("self-service-photo-waiting")
    page.goto("/me/")
    expect(page.locator(".profile-head .avatar.initials")).to_have_text("EE")

    page.context.clear_cookies()
    sign_in("hana.hr")
    page.goto("/approvals/")
    row = page.locator("tbody tr", has_text="Erin Eriksson")
    expect(row).to_contain_text("Photo")
    assert _loaded_width(row.get_by_role("img", name="Proposed photo of Erin Eriksson")) == 128
    screenshot("self-service-photo-approvals")
    row.get_by_role("button", name="Approve the photo of Erin Eriksson").click()
    expect(page.get_by_text("Approved: photo of Erin Eriksson.")).to_be_visible()
    employee = Employee.objects.get(user=people)
    assert employee.photo_version > 0
    page.goto(f"/employees/{employee.public_id}/")
    assert _loaded_width(page.locator(".profile-head img.avatar")) == 320
    expect(page.locator(".history")).to_contain_text("Hana Holm")
