"""Credentials in a SCIM request's query string never reach the provisioning log or its pages."""

import io
import logging
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.test import Client

from alexis.redaction import redact_query
from provisioning.models import ProvisioningEvent

pytestmark = pytest.mark.django_db


def test_a_valid_token_in_the_query_string_is_refused_and_not_stored(owner_client, scim_token):
    secret = scim_token.plaintext

    response = Client().get(f"/scim/v2/Users?access_token={secret}&count=5")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    event = ProvisioningEvent.objects.get()
    assert secret not in event.query
    assert event.query == "access_token=%5Bredacted%5D&count=5"
    for page in ("/provisioning/", f"/provisioning/{event.pk}/"):
        content = owner_client.get(page).content.decode()
        assert secret not in content
        assert "access_token=[redacted]" in content


@pytest.mark.parametrize(
    "name", ["token", "code", "password", "secret", "key", "client_secret", "API_KEY", "Token"]
)
def test_credential_looking_parameters_are_redacted(scim_client, name):
    scim_client.get(f"/scim/v2/Users?{name}=hunter2&startIndex=1")

    assert ProvisioningEvent.objects.get().query == f"{name}=%5Bredacted%5D&startIndex=1"


def test_a_token_anywhere_in_the_query_is_redacted(scim_client, scim_token):
    secret = scim_token.plaintext
    query = "filter=" + quote(f'userName eq "{secret}"')

    response = scim_client.get(f"/scim/v2/Users?{query}")

    assert response.status_code == HTTPStatus.OK
    event = ProvisioningEvent.objects.get()
    assert secret not in event.query
    assert secret[:12] not in event.query_display
    assert event.query_display == 'filter=userName eq "alx_[redacted]"'


def test_a_token_in_the_path_or_an_error_detail_is_redacted(scim_client, scim_token):
    secret = scim_token.plaintext

    scim_client.get(f"/scim/v2/Users/{secret}")

    event = ProvisioningEvent.objects.get()
    assert secret not in event.path
    assert secret not in event.detail


def test_redact_query_keeps_everything_else_as_sent():
    assert redact_query("filter=userName+eq+%22a%22&count=2") == (
        "filter=userName+eq+%22a%22&count=2"
    )
    assert redact_query("flag&token=&x=1") == "flag&token=%5Bredacted%5D&x=1"


@pytest.fixture
def log_output():
    """Point the configured log handlers (root and the server's request log) at one buffer."""
    buffer = io.StringIO()
    handlers = [
        handler
        for name in ("", "django.server")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    ]
    streams = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def test_server_log_lines_are_redacted(log_output, scim_token):
    secret = scim_token.plaintext

    logging.getLogger("django.server").warning(
        '"%s" %s %s', f"GET /scim/v2/Users?access_token={secret}&x=1 HTTP/1.1", 401, 0
    )
    logging.getLogger("alexis").warning("pasted %s", secret)

    written = log_output.getvalue()
    assert secret not in written
    assert "access_token=%5Bredacted%5D&x=1" in written
    assert "pasted alx_[redacted]" in written


def test_oauth_client_secrets_are_redacted_in_queries_and_log_lines(log_output):
    from oauth_clients.crypto import generate_client_secret

    secret = generate_client_secret()

    assert redact_query(f"note={secret}&count=2") == "note=alxcs_%5Bredacted%5D&count=2"
    assert redact_query("x=" + quote(secret)) == "x=alxcs_%5Bredacted%5D"
    logging.getLogger("alexis").warning("client sent %s in a header", secret)
    written = log_output.getvalue()
    assert secret not in written
    assert secret[6:16] not in written
    assert "client sent alxcs_[redacted] in a header" in written
