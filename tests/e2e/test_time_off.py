"""The time off story in a real browser: HR configures a policy and Sweden's public holidays,
an employee asks for three days across Christmas Day (they cost two), the manager approves
from the email link, the calendar shows the absence, the ledger explains the balance, and a
SCIM PATCH that gives the employee a new manager moves a pending request to them."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from organisation.models import Location
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from time_off.accrual import accrue
from time_off.models import Status, TimeOffRequest

pytestmark = pytest.mark.django_db(transaction=True)

ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def person(username, given, family, **fields):
    user = UserFactory(username=username, email=username, first_name=given, last_name=family)
    return EmployeeFactory(
        user=user, user_name=username, given_name=given, family_name=family, **fields
    )


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_time_off_from_policy_to_approval_calendar_ledger_and_new_manager(
    page, sign_in, screenshot, settings, live_server
):
    settings.ALEXIS_SITE_URL = live_server.url
    traveller = time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=True)
    traveller.start()
    try:
        _story(page, sign_in, screenshot)
    finally:
        traveller.stop()


def _story(page, sign_in, screenshot):
    HRAdminFactory(username="harry.hradmin", first_name="Harry", last_name="Hradmin")
    stockholm = Location.objects.create(name="Stockholm", country="SE")
    manager = person("maria.manager@contoso.com", "Maria", "Manager")
    worker = person(
        "will.worker@contoso.com",
        "Will",
        "Worker",
        manager=manager,
        location_record=stockholm,
        location="Stockholm",
        start_date=dt.date(2020, 1, 1),
    )

    # HR configures a leave type, a policy, and Stockholm's public holidays.
    sign_in("harry.hradmin")
    page.get_by_role("link", name="Time off", exact=True).click()
    page.get_by_role("link", name="Time off settings").click()
    page.get_by_role("link", name="Add leave type").click()
    page.get_by_label("Name").fill("Vacation")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Leave type saved.")
    page.get_by_role("link", name="Add policy").click()
    page.get_by_label("Name").fill("Standard vacation")
    page.get_by_label("Leave type").select_option(label="Vacation")
    page.get_by_label("Yearly allowance").fill("25")
    page.get_by_label("Carry-over limit").fill("5")
    screenshot("time-off-policy")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Standard vacation")).to_be_visible()
    expect(page.get_by_role("cell", name="Mon, Tue, Wed, Thu, Fri")).to_be_visible()
    page.get_by_role("link", name="Stockholm").click()
    page.get_by_label("Country").fill("SE")
    page.get_by_role("button", name="Import public holidays").click()
    expect(page.get_by_role("status")).to_contain_text("public holidays added for 2026")
    expect(page.get_by_role("cell", name="Christmas Day")).to_be_visible()
    sign_out(page)

    # The daily accrual gives everyone this year's allowance.
    accrue(today=dt.date(2026, 12, 2))

    # The employee asks for Wednesday 23 to Friday 25 December: Christmas Day costs nothing.
    sign_in("will.worker@contoso.com")
    page.get_by_role("link", name="Time off", exact=True).click()
    page.get_by_role("link", name="Request time off").click()
    page.get_by_label("Type").select_option(label="Vacation")
    page.get_by_label("First day", exact=True).fill("2026-12-23")
    page.get_by_label("Last day", exact=True).fill("2026-12-25")
    page.get_by_role("button", name="Check cost").click()
    quote = page.locator(".quote")
    expect(quote).to_contain_text("Cost: 2 working days")
    expect(quote).to_contain_text("Christmas Day")
    expect(quote).to_contain_text("Balance after: 23")
    screenshot("time-off-request")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("Request sent for approval.")
    expect(page.locator("[data-status]")).to_have_text("Pending")
    sign_out(page)

    # The manager approves from the link in the email.
    (message,) = [m for m in mail.outbox if m.to == ["maria.manager@contoso.com"]]
    assert message.subject.endswith("Will Worker asks for vacation")
    link = re.search(r"https?://\S+/time-off/requests/[0-9a-f-]+/", message.body).group(0)
    page.goto(link)
    page.get_by_label("User name").fill("maria.manager@contoso.com")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Vacation: Will Worker")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Request approved.")
    expect(page.locator("[data-status]")).to_have_text("Approved")

    # The calendar shows the absence.
    page.get_by_role("link", name="Calendar").click()
    page.goto("/time-off/calendar/?month=2026-12")
    row = page.get_by_role("row", name=re.compile("Will Worker"))
    expect(row.locator("td.away")).to_have_count(3)
    expect(row.locator("td.away").first).to_have_attribute("title", "Vacation")
    screenshot("time-off-calendar")
    sign_out(page)

    # The ledger explains the balance line by line.
    sign_in("will.worker@contoso.com")
    page.get_by_role("link", name="Time off", exact=True).click()
    page.get_by_role("link", name="Vacation").first.click()
    ledger = page.get_by_role("table")
    expect(ledger.get_by_role("row")).to_have_count(3)
    expect(ledger.get_by_role("row").nth(1)).to_contain_text("Allowance for the year")
    expect(ledger.get_by_role("row").nth(1)).to_contain_text("+25")
    expect(ledger.get_by_role("row").nth(2)).to_contain_text("-2")
    expect(page.locator("[data-balance]")).to_have_text("23")
    screenshot("time-off-ledger")

    # A second request waits for Maria ...
    page.goto("/time-off/new/")
    page.get_by_label("Type").select_option(label="Vacation")
    page.get_by_label("First day", exact=True).fill("2027-01-11")
    page.get_by_label("Last day", exact=True).fill("2027-01-12")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("Request sent for approval.")
    sign_out(page)
    pending = TimeOffRequest.objects.get(status=Status.PENDING)
    assert pending.approver == manager

    # ... until Entra gives Will a new manager over SCIM: the request moves to her.
    new_manager = person("nina.new@contoso.com", "Nina", "New")
    token = access_token_create(
        name="Entra ID", scopes=[Scope.SCIM], created_by=OwnerFactory(username="olivia.owner")
    )
    response = Client().patch(
        f"/scim/v2/Users/{worker.public_id}",
        json.dumps(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {"op": "Replace", "path": f"{ENT}:manager", "value": str(new_manager.public_id)}
                ],
            }
        ),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {token.plaintext}",
    )
    assert response.status_code == 200

    sign_in("nina.new@contoso.com")
    page.goto("/time-off/team/")
    expect(page.get_by_role("cell", name="Will Worker")).to_be_visible()
    page.get_by_role("link", name="Vacation").click()
    expect(page.get_by_text("Approver changed")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]")).to_have_text("Approved")
    screenshot("time-off-new-manager")
    sign_out(page)

    sign_in("maria.manager@contoso.com")
    page.goto("/time-off/team/")
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
