"""Owners are told by email, once, about client secrets that expire within 30 days."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from access_tokens.models import AccessToken
from access_tokens.tasks import warn_of_expiring_tokens
from notifications.models import Notification
from oauth_clients.models import ClientCredential
from oauth_clients.services import oauth_client_revoke, oauth_secret_add
from oauth_clients.tasks import prune_oauth_records, warn_of_expiring_secrets
from tests.oauth_clients.conftest import token_with_secret

pytestmark = pytest.mark.django_db


def expire_in(credential: ClientCredential, days: int) -> None:
    ClientCredential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=days)
    )


def test_owners_are_emailed_once_about_a_secret_expiring_soon(
    entra_client,
    owner,
    second_owner,
    deliver,
    settings,
):
    settings.ALEXIS_SITE_URL = "https://hr.example.com"
    later = oauth_secret_add(client=entra_client.client, created_by=owner, expires_in_days=365)
    expire_in(entra_client.credential, 20)

    with deliver():
        assert warn_of_expiring_secrets.call() == 1
    with deliver():
        warn_of_expiring_secrets.call()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "olivia.owner@example.com",
        "oscar.owner@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == "OAuth client Entra ID provisioning: a secret expires soon"
    assert entra_client.credential.masked in message.body
    assert later.credential.masked not in message.body
    link = f"https://hr.example.com/settings/oauth-clients/{entra_client.client.pk}/"
    assert link in message.body
    assert entra_client.plaintext not in message.body
    assert Notification.objects.filter(kind="oauth_clients.secret_expiring").count() == 2


def test_a_revoked_client_is_not_announced(entra_client, owner, deliver):
    expire_in(entra_client.credential, 5)
    oauth_client_revoke(client=entra_client.client, revoked_by=owner)

    with deliver():
        assert warn_of_expiring_secrets.call() == 0

    assert mail.outbox == []


def test_issued_tokens_are_not_announced_as_expiring_access_tokens(
    entra_client,
    deliver,
):
    assert token_with_secret(entra_client).status_code == 200

    with deliver():
        assert warn_of_expiring_tokens.call() == 0

    assert mail.outbox == []


def test_the_daily_prune_task(entra_client, settings):
    settings.PROVISIONING_LOG_RETENTION_DAYS = 1
    token_with_secret(entra_client)
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=2))

    assert prune_oauth_records.call() == {"issued_tokens": 1, "assertions": 0}
    assert not AccessToken.objects.exists()
