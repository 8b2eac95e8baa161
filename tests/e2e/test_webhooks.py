"""An owner registers a webhook in a real browser; the receiver verifies what Alexis sends."""

import json

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from audit.actor import Actor
from audit.models import Channel
from employees.services import employee_update
from tests.factories import EmployeeFactory, OwnerFactory
from tests.webhooks.receiver import start_receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_ALLOW_HTTP = True
    receiver = start_receiver()
    yield receiver
    receiver.stop()


def test_owner_registers_an_endpoint_sees_deliveries_and_resends(
    page, sign_in, screenshot, receiver
):
    OwnerFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")
    employee = EmployeeFactory(user_name="ada@contoso.com", title="Engineer")

    sign_in("olivia.owner")
    page.get_by_text("Settings", exact=True).click()
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_text("No endpoints yet.")).to_be_visible()
    page.get_by_role("link", name="Add endpoint").click()
    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_label("Description").fill("Payroll")
    page.get_by_label("Employee updated (employee.updated)").check()
    screenshot("webhooks-add-endpoint")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("This secret will not be shown again.")).to_be_visible()
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    screenshot("webhooks-secret-shown-once")
    page.get_by_role("link", name="I have stored the secret, continue").click()
    expect(page.get_by_text("Nothing has been sent to this endpoint yet.")).to_be_visible()
    assert secret not in page.content()

    employee_update(employee=employee, actor=Actor(channel=Channel.SCIM), data={"title": "CTO"})

    assert len(receiver.received) == 1
    delivered = Webhook(secret).verify(receiver.received[0].body, receiver.received[0].headers)
    assert delivered["data"]["changes"] == {"title": {"old": "Engineer", "new": "CTO"}}

    page.reload()
    log = page.get_by_role("table")
    expect(log).to_contain_text("employee.updated")
    expect(log).to_contain_text("Delivered")
    expect(log).to_contain_text("HTTP 200")
    screenshot("webhooks-delivery-log")
    page.get_by_role("button", name="Resend employee.updated").click()
    expect(page.get_by_role("status")).to_contain_text("is being sent again")
    assert len(receiver.received) == 2
    assert json.loads(receiver.received[1].body)["id"] == delivered["id"]
    page.reload()
    expect(page.get_by_text("resent")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("webhooks-delivery-log-phone")
