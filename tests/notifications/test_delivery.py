import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from access_tokens.models import Scope
from access_tokens.services import access_token_create, access_token_revoke
from access_tokens.tasks import warn_of_expiring_tokens
from notifications.kinds import Delivery
from notifications.models import Notification
from notifications.services import notification_preferences_set, notify
from notifications.tasks import deliver_notification

pytestmark = pytest.mark.django_db


def create_token(owner, name="Entra ID", **kwargs):
    return access_token_create(name=name, scopes=[Scope.SCIM], created_by=owner, **kwargs)


def test_creating_a_token_emails_every_owner(owner, second_owner, hr_admin, deliver, settings):
    settings.ALEXIS_SITE_URL = "https://hr.example.com"
    with deliver():
        created = create_token(owner, expires_in_days=30)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "olivia.owner@example.com",
        "oscar.owner@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == "New access token: Entra ID"
    assert message.extra_headers["List-Unsubscribe"] == (
        "<https://hr.example.com/notifications/settings/>"
    )
    link = f"https://hr.example.com/settings/access-tokens/#token-{created.token.pk}"
    assert link in message.body
    assert (
        f'created the access token "Entra ID" (Provisioning API (SCIM), {created.token.masked})'
        in message.body
    )
    assert created.plaintext not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert 'href="https://hr.example.com/notifications/settings/"' in html
    assert Notification.objects.filter(kind="access_tokens.created").count() == 2
    assert not Notification.objects.filter(recipient=hr_admin).exists()


def test_a_rolled_back_creation_tells_nobody(owner, deliver):
    class Abort(Exception):
        pass

    with deliver(), pytest.raises(Abort), transaction.atomic():
        create_token(owner)
        raise Abort

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_each_person_chooses_email_in_app_or_off(owner, second_owner, deliver):
    notification_preferences_set(user=owner, choices={"access_tokens.created": Delivery.IN_APP})
    notification_preferences_set(user=second_owner, choices={"access_tokens.created": Delivery.OFF})

    with deliver():
        create_token(owner)

    assert mail.outbox == []
    (notification,) = Notification.objects.all()
    assert notification.recipient == owner
    assert notification.emailed_at is None


def test_delivering_the_same_event_twice_tells_each_person_once(owner, deliver):
    with deliver():
        token = create_token(owner).token

    deliver_notification.enqueue(
        "access_tokens.created", {"token_id": token.pk}, f"token-{token.pk}"
    )

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_a_token_revoked_before_delivery_is_not_announced(owner, deliver):
    with deliver():
        token = create_token(owner).token
        access_token_revoke(token=token, revoked_by=owner)

    assert mail.outbox == []


def test_an_unknown_kind_fails_in_the_caller():
    with pytest.raises(KeyError):
        notify(kind="nobody.knows", params={}, key="x")


def test_owners_are_told_once_about_a_token_expiring_within_14_days(owner, deliver):
    soon = create_token(owner, name="Soon", expires_in_days=10).token
    create_token(owner, name="Later", expires_in_days=20)
    revoked = create_token(owner, name="Revoked", expires_in_days=5).token
    access_token_revoke(token=revoked, revoked_by=owner)
    mail.outbox.clear()

    with deliver():
        assert warn_of_expiring_tokens.call() == 1
    with deliver():
        warn_of_expiring_tokens.call()

    (message,) = mail.outbox
    assert message.subject == "Access token Soon expires soon"
    assert f"expires on {soon.expires_at:%b}" in message.body
    assert Notification.objects.filter(kind="access_tokens.expiring").count() == 1


def test_an_expired_token_is_not_announced_as_expiring(owner, deliver):
    token = create_token(owner, expires_in_days=1).token
    token.expires_at = timezone.now() - dt.timedelta(minutes=1)
    token.save(update_fields=["expires_at"])

    with deliver():
        assert warn_of_expiring_tokens.call() == 0


def test_nobody_can_choose_a_kind_their_role_does_not_receive(employee_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        notification_preferences_set(
            user=employee_user, choices={"access_tokens.created": Delivery.EMAIL}
        )

    assert error.value.message_dict == {
        "access_tokens.created": ["This notification is not available to you."]
    }
