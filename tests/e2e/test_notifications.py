"""An owner is told about a new access token, in the app and by email, and changes how."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from notifications.models import NotificationPreference
from tests.factories import OwnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_reads_a_notification_and_turns_a_kind_to_in_app_only(page, sign_in, screenshot):
    owner = OwnerFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")
    # Committed at once (no surrounding transaction): the immediate backend delivers it.
    access_token_create(name="Entra ID provisioning", scopes=[Scope.SCIM], created_by=owner)
    assert [message.subject for message in mail.outbox] == [
        "New access token: Entra ID provisioning"
    ]

    sign_in("olivia.owner")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    item = page.get_by_role("listitem").filter(has_text="New access token: Entra ID provisioning")
    expect(item).to_contain_text('Olivia Owner created the access token "Entra ID provisioning"')
    expect(item.get_by_text("New", exact=True)).to_be_visible()
    screenshot("notifications-inbox")

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_contain_text("Marked 1 notification as read.")
    expect(item.get_by_text("New", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Notification settings").click()
    group = page.get_by_role("group", name="An access token is created")
    expect(group.get_by_label("Email and in the app")).to_be_checked()
    group.get_by_label("In the app only").check()
    screenshot("notifications-settings")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    expect(group.get_by_label("In the app only")).to_be_checked()
    assert NotificationPreference.objects.get(
        user=owner, kind="access_tokens.created"
    ).delivery == ("in_app")

    page.get_by_role("link", name="Your notifications").click()
    page.get_by_role("link", name="New access token: Entra ID provisioning").click()
    expect(page.get_by_role("heading", name="Access tokens", exact=True)).to_be_visible()
