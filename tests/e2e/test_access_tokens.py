"""An owner creates, copies, uses and revokes an access token in a real browser."""

import re
from http import HTTPStatus

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from access_tokens.authentication import check_request
from access_tokens.models import AccessToken, Scope
from tests.factories import OwnerFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r"alx_[0-9A-Za-z]{60}")


def check(raw: str) -> int:
    request = RequestFactory().get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return check_request(request, Scope.SCIM).status


def test_owner_creates_copies_uses_and_revokes_a_token(page, sign_in, screenshot):
    OwnerFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")
    console_errors, failed = [], []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status == 404 else None)

    sign_in("olivia.owner")
    page.get_by_text("Settings", exact=True).click()
    page.get_by_role("link", name="Access tokens").click()
    expect(page.get_by_role("heading", name="Access tokens", exact=True)).to_be_visible()
    page.get_by_role("link", name="Create token").click()

    page.get_by_label("Name").fill("Entra ID provisioning")
    page.get_by_label("Description").fill("Secret Token of the enterprise application")
    page.get_by_label("Provisioning API (SCIM)").check()
    expect(page.get_by_label("365 days")).to_be_checked()
    screenshot("access-tokens-create-form")
    page.get_by_role("button", name="Save").click()

    dialog = page.get_by_role("dialog", name="Your new access token")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This token will not be shown again.")
    # The POST answer replaced its history entry: a reload asks for the list with GET. The
    # page's script does that once it runs (the dialog is rendered open, visible before).
    expect(page).to_have_url(re.compile(r"/settings/access-tokens/$"))
    assert page.evaluate("document.getElementById('token-created').matches(':modal')")
    shown = dialog.get_by_label("Token").input_value()
    assert TOKEN.fullmatch(shown)
    screenshot("access-tokens-created-dialog")

    dialog.get_by_role("button", name="Copy token").click()
    expect(dialog.get_by_role("status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown

    dialog.get_by_role("button", name="I have stored the token, close").click()
    expect(page.locator("#token-created")).to_have_count(0)
    assert shown not in page.content()
    token = AccessToken.objects.get()
    row = page.locator(f"#token-{token.pk}")
    expect(row).to_contain_text(f"{copied[:14]}…{copied[-4:]}")
    expect(row).to_contain_text("Entra ID provisioning")
    expect(row).to_contain_text("Provisioning API (SCIM)")
    expect(row).to_contain_text("by Olivia Owner")
    expect(row.locator(".badge")).to_have_text("Active")
    screenshot("access-tokens-list")

    assert check(copied) == HTTPStatus.OK
    page.reload()
    expect(row).to_contain_text("from 127.0.0.1")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not TOKEN.search(page.content())
    page.get_by_role("link", name="Create token").click()
    page.go_back()
    expect(page.get_by_role("heading", name="Access tokens", exact=True)).to_be_visible()
    assert not TOKEN.search(page.content())
    assert AccessToken.objects.count() == 1

    row.get_by_role("link", name="Revoke Entra ID provisioning").click()
    expect(page.get_by_text("Revoking cannot be undone.", exact=False)).to_be_visible()
    screenshot("access-tokens-revoke-confirmation")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(row.locator(".badge")).to_have_text("Revoked")
    expect(page.locator("[data-event-row]")).to_have_count(2)
    screenshot("access-tokens-revoked")

    assert check(copied) == HTTPStatus.UNAUTHORIZED
    # No missing page resource, no script error and no Content-Security-Policy violation
    # (the browser's own /favicon.ico request is the one resource allowed to fail).
    assert failed == []
    assert [error for error in console_errors if "Failed to load resource" not in error] == []


def test_form_errors_show_beside_the_fields_in_the_browser(page, sign_in, screenshot):
    OwnerFactory(username="olivia.owner")
    sign_in("olivia.owner")
    page.goto("/settings/access-tokens/new/")

    page.get_by_role("button", name="Save").click()

    expect(page.locator("#id_name_error")).to_have_text("Enter a name.")
    expect(page.locator("#id_scopes_error")).to_have_text("Choose at least one scope.")
    expect(page.get_by_role("dialog")).to_have_count(0)
    screenshot("access-tokens-form-errors")
    assert AccessToken.objects.count() == 0


def test_hr_admin_has_no_settings_menu_and_is_refused(page, sign_in):
    from tests.factories import HRAdminFactory

    HRAdminFactory(username="hana.hr")
    sign_in("hana.hr")

    expect(page.get_by_text("Settings", exact=True)).to_have_count(0)
    response = page.goto("/settings/access-tokens/")
    assert response.status == HTTPStatus.FORBIDDEN
