"""Settings > Webhooks: owners add endpoints, see the secret once, read the log and resend."""

from http import HTTPStatus

import pytest

from audit.actor import Actor
from audit.models import Channel
from employees.services import employee_update
from tests.factories import EmployeeFactory
from webhooks.crypto import decrypt_secret
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

LIST = "/settings/webhooks/"


def test_only_owners_reach_the_pages(client, hr_admin_client, owner):
    endpoint = webhook_endpoint_create(
        url="https://hooks.example.com/a", events=["employee.created"], created_by=owner
    ).endpoint
    urls = [LIST, f"{LIST}new/", f"{LIST}{endpoint.public_id}/"]

    for url in urls:
        assert hr_admin_client.get(url).status_code == HTTPStatus.FORBIDDEN
    hr_admin_client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/sign-in/")


def test_the_list_says_when_there_is_nothing_and_settings_link_to_it(owner_client):
    page = owner_client.get(LIST).content.decode()

    assert "No endpoints yet." in page
    assert f'href="{LIST}"' in page


def test_adding_an_endpoint_shows_its_secret_once(owner_client):
    response = owner_client.post(
        f"{LIST}new/",
        {
            "url": "https://hooks.example.com/alexis",
            "description": "Payroll",
            "events": ["employee.updated", "team.created"],
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    secret = decrypt_secret(endpoint.secret_encrypted)
    assert secret in response.content.decode()
    assert "will not be shown again" in response.content.decode()
    assert (endpoint.url, endpoint.description, endpoint.events) == (
        "https://hooks.example.com/alexis",
        "Payroll",
        ["employee.updated", "team.created"],
    )
    detail = owner_client.get(f"{LIST}{endpoint.public_id}/").content.decode()
    assert secret not in detail
    assert f"whsec_…{secret[-4:]}" in detail
    assert secret not in owner_client.get(LIST).content.decode()


def test_form_errors_are_shown_beside_the_fields(owner_client):
    response = owner_client.post(
        f"{LIST}new/", {"url": "http://hooks.example.com/alexis", "events": []}
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Choose at least one event." in page
    assert not WebhookEndpoint.objects.exists()
    response = owner_client.post(
        f"{LIST}new/", {"url": "http://hooks.example.com/alexis", "events": ["employee.created"]}
    )
    assert "Use an https:// URL" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_attempts_and_resend_sends_again(
    owner_client, owner, receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    endpoint = webhook_endpoint_create(
        url=receiver.url, events=["employee.updated"], created_by=owner
    ).endpoint
    receiver.statuses = [500]
    for title in ["CTO", "CEO", "COO"]:
        employee = EmployeeFactory(title="Engineer")
        with django_capture_on_commit_callbacks(execute=True):
            employee_update(
                employee=employee, actor=Actor(channel=Channel.WEB), data={"title": title}
            )

    with django_assert_max_num_queries(8):
        page = owner_client.get(f"{LIST}{endpoint.public_id}/").content.decode()

    assert page.count(">Resend</button>") == 3
    assert "HTTP 500" in page and "HTTP 200" in page
    assert "next try" in page  # the failed delivery waits for its retry
    failed = WebhookDelivery.objects.get(attempt_log__response_status=500)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"{LIST}{endpoint.public_id}/deliveries/{failed.pk}/resend/")
    assert response.status_code == HTTPStatus.FOUND
    assert WebhookAttempt.objects.filter(delivery=failed, resend=True, succeeded=True).exists()
    assert len(receiver.received) == 4


def test_turn_off_on_edit_rotate_and_delete(owner_client, owner):
    created = webhook_endpoint_create(
        url="https://hooks.example.com/a", events=["employee.created"], created_by=owner
    )
    endpoint = created.endpoint
    base = f"{LIST}{endpoint.public_id}/"

    owner_client.post(f"{base}state/", {"enabled": "off"})
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.disabled_reason) == (False, "Turned off by an owner.")
    owner_client.post(f"{base}state/", {"enabled": "on"})
    endpoint.refresh_from_db()
    assert endpoint.enabled

    owner_client.post(
        f"{base}edit/", {"url": "https://hooks.example.com/b", "events": ["team.deleted"]}
    )
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://hooks.example.com/b", ["team.deleted"])

    assert "stops working at once" in owner_client.get(f"{base}secret/").content.decode()
    rotated = owner_client.post(f"{base}secret/").content.decode()
    endpoint.refresh_from_db()
    new_secret = decrypt_secret(endpoint.secret_encrypted)
    assert new_secret != created.secret and new_secret in rotated

    assert owner_client.get(f"{base}delete/").status_code == HTTPStatus.OK
    assert owner_client.post(f"{base}delete/").status_code == HTTPStatus.FOUND
    assert not WebhookEndpoint.objects.exists()
    assert owner_client.get(base).status_code == HTTPStatus.NOT_FOUND


def test_a_delivery_of_another_endpoint_cannot_be_resent_through_this_one(owner_client, owner):
    one = webhook_endpoint_create(
        url="https://hooks.example.com/1", events=["employee.created"], created_by=owner
    ).endpoint
    other = webhook_endpoint_create(
        url="https://hooks.example.com/2", events=["employee.created"], created_by=owner
    ).endpoint
    delivery = WebhookDelivery.objects.create(
        endpoint=other, event_id="msg_x", event_type="employee.created", payload={}
    )

    response = owner_client.post(f"{LIST}{one.public_id}/deliveries/{delivery.pk}/resend/")

    assert response.status_code == HTTPStatus.NOT_FOUND
