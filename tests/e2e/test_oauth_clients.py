"""An owner creates an OAuth client, copies its secret, rotates it and revokes the old one."""

import re
from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from oauth_clients.models import ClientCredential, OAuthClient
from tests.factories import OwnerFactory
from tests.oauth_clients.conftest import request_token

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = re.compile(r"alxcs_[0-9A-Za-z]{60}")


def token_status(client_id: str, secret: str) -> int:
    return request_token(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    ).status_code


def test_owner_creates_rotates_and_revokes_client_secrets(page, sign_in, screenshot):
    OwnerFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    sign_in("olivia.owner")
    page.get_by_text("Settings", exact=True).click()
    page.get_by_role("link", name="OAuth clients").click()
    expect(page.get_by_role("heading", name="OAuth clients", exact=True)).to_be_visible()
    expect(page.get_by_text("No OAuth clients yet.")).to_be_visible()
    page.get_by_role("link", name="Create OAuth client").click()

    page.get_by_label("Name").fill("Entra ID provisioning")
    page.get_by_label("Provisioning API (SCIM)").check()
    page.get_by_label("1 year").check()
    page.get_by_role("button", name="Save").click()

    dialog = page.get_by_role("dialog", name="Your new client secret")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This secret will not be shown again.")
    client = OAuthClient.objects.get()
    assert dialog.get_by_label("Client ID").input_value() == client.client_id
    first = dialog.get_by_label("Client secret").input_value()
    assert SECRET.fullmatch(first)
    # The page's script replaces the POST's history entry once it runs (after the dialog,
    # which the server renders open, is already visible).
    expect(page).to_have_url(re.compile(rf"/settings/oauth-clients/{client.pk}/$"))
    screenshot("oauth-client-created-dialog")
    dialog.get_by_role("button", name="Copy secret").click()
    expect(dialog.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == first
    dialog.get_by_role("button", name="I have stored the secret, close").click()
    expect(page.locator("#token-created")).to_have_count(0)
    assert not SECRET.search(page.content())
    assert token_status(client.client_id, first) == HTTPStatus.OK

    # Rotate: a second secret, then revoke the first.
    page.get_by_label("3 years").check()
    page.get_by_role("button", name="Add secret").click()
    second = page.get_by_role("dialog").get_by_label("Client secret").input_value()
    page.get_by_role("button", name="I have stored the secret, close").click()
    old = ClientCredential.objects.get(prefix=first[:16])
    row = page.locator(f"#credential-{old.pk}")
    expect(row).to_contain_text("from 192.0.2.10")  # the token request above
    row.get_by_role("link", name=re.compile("Revoke secret")).click()
    expect(page.get_by_text("Revoking cannot be undone.")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(f"#credential-{old.pk} .badge")).to_have_text("Revoked")
    screenshot("oauth-client-detail")
    assert token_status(client.client_id, first) == HTTPStatus.UNAUTHORIZED
    assert token_status(client.client_id, second) == HTTPStatus.OK

    # The single sign-on page shows what to paste into Entra.
    page.get_by_text("Settings", exact=True).click()
    page.get_by_role("link", name="Single sign-on").click()
    expect(page.get_by_label("Token Endpoint")).to_have_value(
        f"{page.url.split('/settings')[0]}/oauth2/token"
    )
    expect(page.get_by_label("Client Identifier (Entra ID provisioning)")).to_have_value(
        client.client_id
    )

    # On a phone the page still reads without sideways scrolling of the whole page.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/settings/oauth-clients/{client.pk}/")
    screenshot("oauth-client-detail-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    assert console_errors == []
