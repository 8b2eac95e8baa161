"""The interactive API docs work in a real browser under the strict Content-Security-Policy."""

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from organisation.models import Department
from tests.factories import EmployeeFactory, OwnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_render_and_try_a_request_with_a_token(page, screenshot):
    engineering = Department.objects.create(name="Engineering")
    EmployeeFactory(
        given_name="Ada",
        family_name="Lovelace",
        department="Engineering",
        department_record=engineering,
    )
    token = access_token_create(
        name="Docs", scopes=[Scope.API_READ], created_by=OwnerFactory(username="olga")
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/api/v1/docs/")
    page.get_by_text("Alexis API").first.wait_for()
    page.get_by_role("button", name="Authorize").click()
    dialog = page.locator(".modal-ux")
    dialog.locator("input").first.fill(token.plaintext)
    dialog.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close").click()
    page.locator("#operations-departments-departments_list").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()

    assert status.inner_text() == "200"
    assert '"name": "Engineering"' in page.locator(".live-responses-table").inner_text()
    screenshot("api-docs")
    assert violations == []
