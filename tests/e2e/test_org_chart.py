"""The visual org chart in Chromium: expand level by level, find a person, zoom and pan."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.factories import EmployeeFactory, HRAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company():
    ceo = EmployeeFactory(given_name="Åsa", family_name="Öberg", title="Chief Executive")
    vp = EmployeeFactory(
        given_name="José", family_name="Núñez", title="VP Engineering", manager=ceo
    )
    for given, family in [("Björn", "Ångström"), ("Chloé", "Dubois"), ("Liam", "Smith")]:
        EmployeeFactory(given_name=given, family_name=family, title="Engineer", manager=vp)
    big = EmployeeFactory(
        given_name="Priya", family_name="Patel", title="Head of Support", manager=ceo
    )
    for i in range(12):
        EmployeeFactory(given_name="Agent", family_name=f"Number {i:02}", manager=big)
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    return {"ceo": ceo, "vp": vp, "big": big}


def _transform(page):
    return page.locator("[data-org-canvas]").evaluate("el => el.style.transform")


def test_expand_zoom_and_pan(page, sign_in, screenshot, company):
    sign_in("hana.hr")
    page.goto("/org-chart/")
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    page.get_by_role("link", name="Show the 2 reports of Åsa Öberg").click()
    expect(page.get_by_role("link", name="José Núñez", exact=True)).to_be_visible()
    page.get_by_role("link", name="Show the 3 reports of José Núñez").click()
    expect(page.get_by_role("link", name="Chloé Dubois", exact=True)).to_be_visible()
    # Cards are joined as a tree: the reports sit below their manager, side by side.
    ceo_box = page.locator(".org-card", has_text="Åsa Öberg").bounding_box()
    vp_box = page.locator(".org-card", has_text="José Núñez").bounding_box()
    chloe = page.locator(".org-card", has_text="Chloé Dubois").bounding_box()
    liam = page.locator(".org-card", has_text="Liam Smith").bounding_box()
    assert ceo_box["y"] < vp_box["y"] < chloe["y"]
    assert chloe["y"] == liam["y"] and chloe["x"] < liam["x"]
    expect(page).to_have_url(re.compile(r"/org-chart/$"))  # expanded in place
    screenshot("org-chart-tree")

    # A large team shows as a grid hanging from its manager.
    page.get_by_role("link", name="Show the 12 reports of Priya Patel").click()
    expect(page.locator("ul.org-stack .org-node")).to_have_count(12)

    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("[data-org-zoom-level]")).to_have_text("125%")
    assert "scale(1.25)" in _transform(page)
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    expect(page.locator("[data-org-zoom-level]")).to_have_text("80%")

    # Drag the background to move the chart.
    box = page.locator("[data-org-viewport]").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] - 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 110, box["y"] + box["height"] - 50, steps=5)
    page.mouse.up()
    assert "translate(" in _transform(page) and "translate(0px, 0px)" not in _transform(page)
    page.get_by_role("button", name="Reset view").click()
    assert _transform(page) == "translate(0px, 0px) scale(1)"

    # Download the chart as it is expanded: a PNG with the cards drawn on it.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PNG").click()
    assert download.value.suggested_filename == "org-chart.png"
    saved = ARTIFACTS / "org-chart-download.png"
    saved.parent.mkdir(parents=True, exist_ok=True)
    download.value.save_as(saved)
    image = Image.open(saved)
    assert image.format == "PNG"
    assert image.width > 600 and image.height > 300
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # cards, lines, initials and names, not a blank picture


def test_find_a_person_with_suggestions(page, sign_in, screenshot, company):
    sign_in("hana.hr")
    page.goto("/org-chart/")
    search = page.get_by_label("Find a person")
    search.fill("Chlo")
    options = page.locator("#org-start-suggestions option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", re.compile(r"@"))
    search.fill("")
    search.press_sequentially("Dubois")
    page.get_by_role("button", name="Show").click()
    # Jumped to the person: their card is highlighted, their managers above.
    expect(page.locator(".org-focus > .org-card .org-name")).to_have_text("Chloé Dubois")
    breadcrumbs = page.get_by_role("navigation", name="Managers of Chloé Dubois")
    expect(breadcrumbs.get_by_role("link", name="José Núñez", exact=True)).to_be_visible()
    page.get_by_role("link", name="↑ Up to José Núñez").click()
    expect(page.locator(".org-focus > .org-card .org-name")).to_have_text("José Núñez")
    screenshot("org-chart-person")


def test_department_view_is_linked(page, sign_in, company):
    sign_in("hana.hr")
    page.goto("/org-chart/")
    page.get_by_role("link", name="Department view").click()
    expect(page.get_by_role("heading", name="Departments")).to_be_visible()
