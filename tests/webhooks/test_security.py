"""Deliveries never reach inside the network (SSRF), and signing secrets are encrypted at rest."""

import datetime as dt

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from standardwebhooks import Webhook

from tests.webhooks.receiver import start_receiver
from webhooks import crypto
from webhooks.models import WebhookEndpoint
from webhooks.network import address_allowed, post
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space
        "0.0.0.0",  # noqa: S104 - the address under test
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    assert not address_allowed(address)


def test_public_addresses_are_allowed_and_the_setting_allows_private_ones(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    assert address_allowed("8.8.8.8")
    assert address_allowed("2606:4700:4700::1111")
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert address_allowed("127.0.0.1")


def test_a_host_resolving_to_loopback_gets_nothing(settings):
    receiver = start_receiver()
    try:
        settings.WEBHOOKS_ALLOW_HTTP = True
        settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
        url = receiver.url.replace("127.0.0.1", "localhost")

        result = post(url, body=b"{}", headers={})

        assert not result.succeeded
        assert "private or reserved address" in result.error
        assert receiver.received == []

        settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
        assert post(url, body=b"{}", headers={}).status == 200
    finally:
        receiver.stop()


def test_plain_http_is_refused_unless_allowed(settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

    result = post("http://127.0.0.1:9/hooks", body=b"{}", headers={})

    assert (result.status, result.error) == (None, "Deliveries go to https:// URLs only.")


def test_an_unreachable_endpoint_is_a_failed_attempt_not_an_error(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    receiver = start_receiver()
    url = receiver.url
    receiver.stop()

    result = post(url, body=b"{}", headers={})

    assert (result.status, result.succeeded) == (None, False)
    assert result.error.startswith("Could not connect")


def test_the_secret_is_stored_encrypted_and_keys_rotate(settings, owner):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WEBHOOKS_SECRET_KEYS = [old_key]
    created = webhook_endpoint_create(
        url="https://hooks.example.com/alexis", events=["employee.created"], created_by=owner
    )
    stored = WebhookEndpoint.objects.get().secret_encrypted
    assert created.secret.startswith("whsec_")
    assert created.secret not in stored
    assert created.secret[6:] not in stored
    assert crypto.decrypt_secret(stored) == created.secret

    # A new key goes first; the old one still decrypts until the secrets are re-encrypted.
    settings.WEBHOOKS_SECRET_KEYS = [new_key, old_key]
    assert crypto.decrypt_secret(stored) == created.secret
    call_command("rotate_webhook_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.WEBHOOKS_SECRET_KEYS = [new_key]
    assert crypto.decrypt_secret(WebhookEndpoint.objects.get().secret_encrypted) == created.secret
    settings.WEBHOOKS_SECRET_KEYS = [old_key]
    with pytest.raises(InvalidToken):
        crypto.decrypt_secret(WebhookEndpoint.objects.get().secret_encrypted)


def test_without_configured_keys_the_secret_key_and_its_fallbacks_decrypt(settings):
    settings.WEBHOOKS_SECRET_KEYS = []
    settings.SECRET_KEY = "old-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    stored = crypto.encrypt_secret("whsec_abc")
    settings.SECRET_KEY = "new-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    settings.SECRET_KEY_FALLBACKS = ["old-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"]

    assert crypto.decrypt_secret(stored) == "whsec_abc"


def test_the_signature_is_the_standard_webhooks_one():
    secret = crypto.generate_secret()
    body = b'{"type":"employee.created"}'
    signature = crypto.sign(secret, message_id="msg_1", timestamp=1_700_000_000, body=body)

    at = dt.datetime.fromtimestamp(1_700_000_000, tz=dt.UTC)
    assert signature == Webhook(secret).sign("msg_1", at, body.decode())
