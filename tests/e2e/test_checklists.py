"""Done means, in a real browser: HR builds an onboarding template; Entra creates the joiner
over SCIM with their start date (employeeHireDate mapped to Alexis's startDate) and sets
their manager in its follow-up PATCH; the manager sees their task due relative to it, and a
later start date moves it; the manager completes their tasks and the checklist shows
complete; Entra's deprovisioning starts offboarding and flags the missing end date; a future
end date ends access on that day (the clock moved in the test)."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from checklists.models import Checklist, ChecklistStatus
from checklists.tasks import checklist_access_end
from employees.models import Employee
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from tests.scim_api.conftest import CORE, ENT, PATCH_OP, entra_create_body

pytestmark = pytest.mark.django_db(transaction=True)

ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"


def _scim(owner):
    token = access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")


def _send(client, method, path, body=None):
    kwargs = {"content_type": "application/scim+json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(f"/scim/v2/{path}", **kwargs)


def test_onboarding_from_template_to_complete_then_offboarding_and_access_end(
    browser, live_server, page, sign_in, screenshot
):
    owner = OwnerFactory(username="olivia.owner")
    HRAdminFactory(username="harry.hradmin")
    manager_user = UserFactory(username="mia.manager@contoso.com")
    manager = EmployeeFactory(
        user=manager_user, user_name=manager_user.username, given_name="Mia", family_name="Manager"
    )

    # HR builds an onboarding template with a task for the manager.
    sign_in("harry.hradmin")
    page.get_by_role("link", name="Checklists", exact=True).click()
    page.get_by_role("link", name="Templates", exact=True).click()
    expect(page.get_by_text("No templates yet.")).to_be_visible()
    page.get_by_role("link", name="Add template").click()
    page.get_by_label("Name").fill("Engineering onboarding")
    page.get_by_label("Kind").select_option(label="Onboarding")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Now add its tasks.")).to_be_visible()
    page.get_by_role("link", name="Add task").click()
    page.get_by_label("Title").fill("Plan the first week")
    page.get_by_label("Description").fill("Book **three** intro meetings.")
    page.get_by_label("Assigned to").select_option(label="Their manager")
    page.get_by_label("Due (days)").fill("3")
    page.get_by_label("Before or after").select_option(label="before")
    screenshot("checklists-template-task")
    page.get_by_role("button", name="Save task").click()
    expect(page.get_by_text("3 days before the start date")).to_be_visible()

    # Entra creates the joiner over SCIM with their start date (its employeeHireDate mapped
    # to startDate of Alexis's extension, sent without naming the extension in `schemas`),
    # then sets the manager in a second request, as it always does.
    scim = _scim(owner)
    start = timezone.localdate() + dt.timedelta(days=14)
    body = entra_create_body(
        "grace.hopper@contoso.com", **{ALEXIS: {"startDate": f"{start.isoformat()}T00:00:00Z"}}
    )
    assert body["schemas"] == [CORE, ENT]
    assert _send(scim, "post", "Users", body).status_code == 201
    joiner = Employee.objects.get(user_name="grace.hopper@contoso.com")
    assert joiner.start_date == start
    checklist = Checklist.objects.get(employee=joiner)
    set_manager = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Add", "path": f"{ENT}:manager", "value": str(manager.public_id)}],
    }
    assert _send(scim, "patch", f"Users/{joiner.public_id}", set_manager).status_code == 200
    page.goto(f"/employees/{joiner.public_id}/")
    expect(page.get_by_text(f"{start.day} {start:%b %Y}").first).to_be_visible()
    page.goto(f"/checklists/{checklist.public_id}/")
    expect(page.get_by_text("0 of 1 done")).to_be_visible()
    due = start - dt.timedelta(days=3)
    expect(page.get_by_text(f"due {due.day} {due:%b %Y}")).to_be_visible()

    # The manager sees their task due three days before the start date.
    context = browser.new_context(base_url=live_server.url)
    manager_page = context.new_page()
    manager_page.goto("/accounts/sign-in/")
    manager_page.get_by_label("User name").fill("mia.manager@contoso.com")
    manager_page.get_by_label("Password").fill("correct horse battery staple")
    manager_page.get_by_role("button", name="Sign in").click()
    manager_page.get_by_role("link", name="My tasks").click()
    task_row = manager_page.get_by_role("row", name="Plan the first week")
    expect(task_row.get_by_role("cell", name=f"{due.day} {due:%b %Y}")).to_be_visible()

    # Entra moves the start date a week later (PATCH by the extension's path): so does the task.
    start += dt.timedelta(days=7)
    due = start - dt.timedelta(days=3)
    patch = {
        "schemas": [PATCH_OP],
        "Operations": [
            {
                "op": "Replace",
                "path": f"{ALEXIS}:startDate",
                "value": f"{start.isoformat()}T00:00:00Z",
            }
        ],
    }
    assert _send(scim, "patch", f"Users/{joiner.public_id}", patch).status_code == 200
    manager_page.reload()
    expect(task_row.get_by_role("cell", name=f"{due.day} {due:%b %Y}")).to_be_visible()
    manager_page.screenshot(path=str(screenshot("checklists-my-tasks-due-from-the-start-date")))

    # The manager completes their task, and the checklist shows complete.
    expect(manager_page.get_by_role("cell", name="Plan the first week", exact=True)).to_be_visible()
    manager_page.get_by_role("link", name="Engineering onboarding: Grace Hopper").click()
    expect(manager_page.locator(".markdown strong")).to_have_text("three")
    manager_page.get_by_role("button", name="Mark “Plan the first week” done").click()
    expect(manager_page.get_by_text("1 of 1 done")).to_be_visible()
    expect(manager_page.locator(".badge", has_text="Complete")).to_be_visible()
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.COMPLETED

    # Entra deprovisions the joiner (PATCH active false): offboarding starts, HR is told.
    page.goto("/checklists/templates/new/")
    page.get_by_label("Name").fill("Leaver")
    page.get_by_label("Kind").select_option(label="Offboarding")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add task").click()
    page.get_by_label("Title").fill("Collect the laptop")
    page.get_by_label("Assigned to").select_option(label="HR")
    page.get_by_role("button", name="Save task").click()
    patch = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    assert _send(scim, "patch", f"Users/{joiner.public_id}", patch).status_code == 200
    page.get_by_role("link", name="Home").click()
    expect(
        page.get_by_text("Deprovisioned by Entra without an end date: confirm the leave.")
    ).to_be_visible()
    flag = page.get_by_role("region", name="Leaves to confirm")
    expect(flag.get_by_role("link", name="Grace Hopper")).to_be_visible()
    screenshot("checklists-confirm-the-leave")

    # The manager leaves: a future end date ends their access at the end of that day.
    end = timezone.localdate() + dt.timedelta(days=5)
    page.goto(f"/employees/{manager.public_id}/edit/")
    page.get_by_label("End date").fill(end.isoformat())
    page.get_by_role("button", name="Save").click()
    manager_page.goto("/checklists/my-tasks/")
    expect(manager_page.get_by_role("heading", name="My tasks")).to_be_visible()

    the_day_after = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time(0, 1), timezone.get_default_timezone()
    )
    with mock.patch("checklists.tasks.timezone.now", return_value=the_day_after):
        assert checklist_access_end.call()["ended"] == 1
    manager_page.goto("/checklists/my-tasks/")
    manager_page.wait_for_url(lambda url: "/accounts/sign-in/" in url)
    context.close()
