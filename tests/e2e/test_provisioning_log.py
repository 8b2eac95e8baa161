"""An owner opens the provisioning log after SCIM requests and sees what happened."""

import json
import urllib.error
import urllib.request
from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from employees.models import Employee
from tests.factories import OwnerFactory
from tests.scim_api.conftest import entra_create_body

pytestmark = pytest.mark.django_db(transaction=True)

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def send(base: str, method: str, path: str, token: str, body: dict | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310 - the live test server on 127.0.0.1
        f"{base}/scim/v2/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_owner_sees_scim_requests_in_the_provisioning_log(page, live_server, sign_in, screenshot):
    owner = OwnerFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")
    token = access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)
    base = live_server.url
    create = entra_create_body(
        "alice@contoso.com", name={"givenName": "Alice", "familyName": "Ali"}
    )
    assert send(base, "POST", "Users", token.plaintext, create) == HTTPStatus.CREATED
    query = "Users?filter=userName%20eq%20%22alice@contoso.com%22"
    assert send(base, "GET", query, token.plaintext) == HTTPStatus.OK
    user_id = Employee.objects.get(user_name="alice@contoso.com").public_id
    disable = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
    }
    assert send(base, "PATCH", f"Users/{user_id}", token.plaintext, disable) == HTTPStatus.OK
    assert send(base, "POST", "Users", token.plaintext, create) == HTTPStatus.CONFLICT
    assert send(base, "GET", "Users", "wrong-token") == HTTPStatus.UNAUTHORIZED

    sign_in("olivia.owner")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Provisioning log").click()
    expect(page.get_by_role("heading", name="Provisioning log", exact=True)).to_be_visible()
    rows = page.locator("table.provisioning-log tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("401")
    expect(rows.nth(1)).to_contain_text("409")
    expect(rows.nth(1)).to_contain_text("uniqueness")
    expect(rows.nth(2)).to_contain_text("Deactivated")
    expect(rows.nth(2)).to_contain_text("Status: Active → Inactive")
    expect(rows.nth(4)).to_contain_text("Created")
    screenshot("provisioning-log")

    page.get_by_label("User name").fill("ALICE@contoso.com")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(2)
    screenshot("provisioning-log-filtered-by-user")

    rows.nth(0).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Deactivated: PATCH", exact=False)).to_be_visible()
    expect(page.get_by_text("Changes (old → new)")).to_be_visible()
    screenshot("provisioning-event")

    page.get_by_role("link", name="alice@contoso.com").click()
    expect(page.get_by_role("heading", name="Alice Ali")).to_be_visible()

    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Provisioning health")).to_be_visible()
    screenshot("home-provisioning-health")
