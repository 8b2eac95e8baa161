"""Deliveries: retries with backoff, idempotent attempts, resend, turning off a failing endpoint."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from audit.actor import Actor
from audit.models import Channel
from employees.services import employee_update
from tests.factories import EmployeeFactory, OwnerFactory
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.services import (
    RETRY_DELAYS,
    webhook_attempt,
    webhook_delivery_resend,
    webhook_endpoint_create,
    webhook_endpoint_disable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver, owner):
    return webhook_endpoint_create(
        url=receiver.url, events=["employee.updated"], created_by=owner
    ).endpoint


def _change_title(capture, title="CTO"):
    employee = EmployeeFactory(title="Engineer")
    with capture(execute=True):
        employee_update(employee=employee, actor=Actor(channel=Channel.WEB), data={"title": title})
    return employee


def test_a_failed_attempt_is_retried_later_with_the_same_id_and_a_fresh_signature(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [503]
    _change_title(django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert RETRY_DELAYS[0] <= wait < RETRY_DELAYS[0] + dt.timedelta(seconds=1)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None and endpoint.enabled

    attempt = webhook_attempt(delivery_id=delivery.pk, attempt=2)

    assert (attempt.succeeded, attempt.response_status) == (True, 200)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.SUCCEEDED,
        2,
        None,
    )
    assert endpoint.failing_since is None
    assert list(
        WebhookAttempt.objects.order_by("id").values_list("response_status", flat=True)
    ) == [
        503,
        200,
    ]


def test_an_attempt_runs_once_even_if_its_task_runs_twice(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    _change_title(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    assert webhook_attempt(delivery_id=delivery.pk, attempt=1) is None  # already made
    assert webhook_attempt(delivery_id=delivery.pk, attempt=2) is not None
    assert webhook_attempt(delivery_id=delivery.pk, attempt=2) is None
    assert len(receiver.received) == 2


def test_a_delivery_gives_up_after_about_a_day_of_attempts(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    assert dt.timedelta(hours=24) < sum(RETRY_DELAYS, dt.timedelta()) < dt.timedelta(hours=30)
    attempts = len(RETRY_DELAYS) + 1
    receiver.statuses = [500] * attempts
    _change_title(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    for number in range(2, attempts + 1):
        webhook_attempt(delivery_id=delivery.pk, attempt=number)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        attempts,
        None,
    )
    assert webhook_attempt(delivery_id=delivery.pk, attempt=attempts + 1) is None


def test_an_endpoint_failing_for_a_day_is_turned_off_and_the_owners_are_told(
    endpoint, receiver, owner, django_capture_on_commit_callbacks
):
    owner.email = "olivia@contoso.com"
    owner.save()
    OwnerFactory(email="", is_active=True)  # an owner without an address is skipped
    receiver.statuses = [500, 500]
    _change_title(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        webhook_attempt(delivery_id=delivery.pk, attempt=2)

    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "Every delivery attempt failed for 24 hours."
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.FAILED, None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olivia@contoso.com"]
    assert endpoint.url in mail.outbox[0].subject
    assert "Settings > Webhooks" in mail.outbox[0].body

    # Nothing more goes to an endpoint that is off.
    _change_title(django_capture_on_commit_callbacks, title="CEO")
    assert len(receiver.received) == 2


def test_resend_makes_one_more_attempt_whatever_the_state(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    _change_title(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_resend(delivery=delivery)

    assert len(receiver.received) == 2
    assert receiver.received[1].headers["webhook-id"] == delivery.event_id
    resent = WebhookAttempt.objects.get(resend=True)
    assert resent.succeeded
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)


def test_a_pending_retry_to_an_endpoint_turned_off_is_not_sent(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    _change_title(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    webhook_endpoint_disable(endpoint=endpoint, reason="Turned off by an owner.")

    attempt = webhook_attempt(delivery_id=delivery.pk, attempt=2)

    assert (attempt.succeeded, attempt.error) == (False, "Not sent: the endpoint is off.")
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_deactivation_in_the_web_app_is_sent_once_per_endpoint(
    receiver, owner, django_capture_on_commit_callbacks
):
    for _ in range(2):
        webhook_endpoint_create(url=receiver.url, events=["employee.deactivated"], created_by=owner)
    employee = EmployeeFactory(active=True)

    with django_capture_on_commit_callbacks(execute=True):
        employee_update(employee=employee, actor=Actor(channel=Channel.WEB), data={"active": False})

    bodies = [json.loads(r.body) for r in receiver.received]
    assert [b["type"] for b in bodies] == ["employee.deactivated", "employee.deactivated"]
    assert bodies[0]["id"] == bodies[1]["id"]
    assert bodies[0]["data"]["channel"] == "web"
