"""One product in a real browser: the phone layout, dates in the reader's time zone,
signing out, deactivating with a reason, starting the org chart from a name, error pages."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from employees.models import Employee
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def company():
    ceo = EmployeeFactory(
        given_name="Åsa", family_name="Öberg", title="Chief Executive", department="Board"
    )
    vp = EmployeeFactory(
        given_name="José", family_name="Núñez", title="VP Engineering", manager=ceo
    )
    for given, family in [("Björn", "Ångström"), ("Chloé", "Dubois"), ("Liam", "Smith")]:
        EmployeeFactory(given_name=given, family_name=family, title="Engineer", manager=vp)
    EmployeeFactory(given_name="Zoë", family_name="Inactive", active=False, manager=vp)
    return {"ceo": ceo, "vp": vp}


def _fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_main_pages_on_a_phone(page, sign_in, screenshot, company):
    OwnerFactory(username="olga.owner", first_name="Olga", last_name="Owner")
    page.set_viewport_size(PHONE)
    sign_in("olga.owner")

    # The menu is one button until opened; the header stays one line.
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 70
    _fits_the_screen(page)
    screenshot("phone-home")
    menu.click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot("phone-menu-open")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Employees").click()

    # Filters start folded, so the first result shows on the first screen.
    expect(page.get_by_text("6 employees")).to_be_visible()
    expect(page.get_by_label("Department")).to_be_hidden()
    first_row = page.locator("#directory-results tbody tr").first
    assert first_row.bounding_box()["y"] < PHONE["height"]
    _fits_the_screen(page)
    screenshot("phone-directory")
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Department")).to_be_visible()

    first_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _fits_the_screen(page)
    screenshot("phone-profile")

    for path, name in [("/org-chart/", "phone-org-chart"), ("/provisioning/", "phone-log")]:
        page.goto(path)
        _fits_the_screen(page)
        screenshot(name)


def test_times_show_in_the_browsers_time_zone(browser, live_server, sign_in, company):
    HRAdminFactory(username="hana.hr")
    Employee.objects.filter(pk=company["vp"].pk).update(
        created_at=dt.datetime(2026, 6, 1, 22, 15, tzinfo=dt.UTC)
    )
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto("/accounts/sign-in/")
    page.get_by_label("User name").fill("hana.hr")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/employees/{company['vp'].public_id}/")
    expect(page.get_by_text("2 Jun 2026, 07:15")).to_be_visible()  # 22:15 UTC in Tokyo
    context.close()


def test_deactivate_with_a_reason_then_sign_out(page, sign_in, screenshot, company):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    sign_in("hana.hr")
    page.goto(f"/employees/{company['vp'].public_id}/deactivate/")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".field-error")).to_contain_text("This field is required.")
    page.get_by_label("Last working day").fill("2026-11-30")
    page.get_by_label("Reason for leaving").select_option(label="Contract ended")
    screenshot("deactivate-with-reason")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("José Núñez was deactivated.")).to_be_visible()
    expect(page.locator("dl.details")).to_contain_text("Contract ended")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in to Alexis")).to_be_visible()


def test_org_chart_starts_from_a_typed_name(page, sign_in, company):
    HRAdminFactory(username="hana.hr")
    sign_in("hana.hr")
    page.goto("/org-chart/")
    page.get_by_label("Find a person").fill("José")
    expect(page.locator("#org-start-suggestions option")).to_have_count(1)
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".org-focus > .org-card .org-name")).to_have_text("José Núñez")


def test_an_unknown_page_is_friendly_and_a_user_without_record_is_told_why(page, sign_in):
    UserFactory(username="nora.nobody")
    sign_in("nora.nobody")
    expect(
        page.get_by_role("heading", name="Your account has no employee record yet")
    ).to_be_visible()
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="We cannot find this page")).to_be_visible()


def test_slash_jumps_to_the_search_box_and_finds_people_and_teams(page, sign_in, company):
    HRAdminFactory(username="hana.hr")
    sign_in("hana.hr")
    page.goto("/employees/")
    page.locator("body").press("/")
    box = page.get_by_role("searchbox", name="Find", exact=True)
    expect(box).to_be_focused()
    box.fill("Núñez")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Results for “Núñez”")).to_be_visible()
    page.get_by_role("link", name="José Núñez").click()
    expect(page.get_by_role("heading", level=1, name="José Núñez")).to_be_visible()


def test_slash_opens_the_phone_menu_to_search(page, sign_in, company):
    HRAdminFactory(username="hana.hr")
    page.set_viewport_size(PHONE)
    sign_in("hana.hr")
    page.locator("body").press("/")
    expect(page.get_by_role("searchbox", name="Find", exact=True)).to_be_focused()
