import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from provisioning.models import Operation, ProvisioningEvent
from provisioning.tasks import check_provisioning_health

pytestmark = pytest.mark.django_db


def event(minutes_ago: float, status: int = 200, detail: str = "") -> ProvisioningEvent:
    return ProvisioningEvent.objects.create(
        occurred_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        method="PATCH" if status >= 400 else "GET",
        path="/scim/v2/Users/1",
        operation=Operation.REFUSED if status >= 400 else Operation.QUERIED,
        status=status,
        detail=detail,
    )


def test_owners_are_told_once_when_every_request_has_failed_for_an_hour(owner, deliver):
    event(minutes_ago=200)
    for minutes in (90, 60, 30, 5):
        event(minutes_ago=minutes, status=500, detail="Database unavailable")

    with deliver():
        assert check_provisioning_health.call() == ["failing"]
    with deliver():
        check_provisioning_health.call()

    (message,) = mail.outbox
    assert message.subject == "Provisioning from Entra ID is failing"
    assert "4 failed requests, none succeeded" in message.body
    assert "The latest error: Database unavailable" in message.body
    assert "/provisioning/?status=failed" in message.body


def test_failures_for_less_than_an_hour_or_with_successes_between_are_not_an_outage(owner, deliver):
    event(minutes_ago=90, status=500)
    event(minutes_ago=40)  # Entra's next cycle worked
    event(minutes_ago=30, status=409)

    with deliver():
        assert check_provisioning_health.call() == []

    assert not Notification.objects.exists()


def test_owners_are_told_when_entra_goes_silent_for_a_day(owner, deliver):
    event(minutes_ago=26 * 60)

    with deliver():
        assert check_provisioning_health.call() == ["silent"]
    with deliver():
        check_provisioning_health.call()

    (message,) = mail.outbox
    assert message.subject == "Entra ID has stopped provisioning"


def test_silence_before_any_sync_is_not_reported(owner, deliver):
    event(minutes_ago=3 * 24 * 60, status=401)

    with deliver():
        assert check_provisioning_health.call() == []
