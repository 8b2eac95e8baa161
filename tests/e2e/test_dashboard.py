"""The dashboard in a real browser: every chart is drawn, with its numbers in a table."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, HRAdminFactory, ProvisioningEventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_charts_render_with_their_tables(page, sign_in, screenshot):
    for i, department in enumerate(["Engineering", "Sales", "People"] * 4):
        EmployeeFactory(
            department=department,
            location=["Berlin", "Boston"][i % 2],
            start_date=dt.date(2026, 1 + i % 11, 3),
        )
    ProvisioningEventFactory(status=201)
    ProvisioningEventFactory(status=409)
    HRAdminFactory(username="hana.hr")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    sign_in("hana.hr")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    charts = page.locator("figure[data-chart] canvas[role=img]")
    expect(charts).to_have_count(5)
    for i in range(5):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 100 and box["height"] > 100
    # Chart.js drew something: the canvas is not blank.
    painted = charts.first.evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)"
    )
    assert painted
    assert errors == []  # no CSP violation or script error

    departments = page.locator("figure", has_text="by department")
    departments.get_by_text("Show the numbers").click()
    expect(departments.get_by_role("row", name="Engineering 4")).to_be_visible()
    expect(page.locator("figure table caption")).to_have_count(5)
    screenshot("dashboard")
