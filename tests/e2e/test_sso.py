"""SP-initiated single sign-on in a real browser, through the test identity provider."""

import re

import pytest
from playwright.sync_api import expect

from sso.models import SsoConfiguration
from tests.factories import EmployeeFactory
from tests.sso.idp import TestIdentityProvider, serve

pytestmark = pytest.mark.django_db(transaction=True)


def test_employee_signs_in_with_microsoft_and_returns_to_the_page_asked_for(
    page, live_server, screenshot
):
    idp = TestIdentityProvider()
    employee = EmployeeFactory(
        user_name="alice@contoso.com", given_name="Alice", family_name="Archer"
    )
    with serve(idp, name_id="Alice@Contoso.com") as login_url:
        SsoConfiguration.objects.create(
            enabled=True,
            idp_entity_id=idp.entity_id,
            idp_login_url=login_url,
            idp_certificate=idp.certificate_pem,
        )

        page.goto("/?view=team")
        expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
        screenshot("sso-sign-in")
        page.get_by_role("link", name="Sign in with Microsoft").click()
        page.wait_for_url(f"{live_server.url}/?view=team")

    # An employee's start page is their own profile.
    expect(page.get_by_role("heading", level=1, name="Alice Archer")).to_be_visible()
    expect(page.locator(".who")).to_have_text("Alice Archer")
    screenshot("sso-signed-in")
    employee.refresh_from_db()
    assert employee.user.username == "alice@contoso.com"
