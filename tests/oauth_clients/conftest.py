"""OAuth client fixtures: clients made through the service, and token requests."""

import base64
from urllib.parse import quote_plus, urlencode

import pytest
from django.test import Client

from access_tokens.models import Scope
from oauth_clients.services import oauth_client_create
from tests.notifications.conftest import deliver, second_owner  # noqa: F401 (fixtures)

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def entra_client(owner):
    """A Provisioning client with its first secret; `.plaintext` is the secret."""
    return oauth_client_create(
        name="Entra ID provisioning", scopes=[Scope.SCIM, Scope.API_READ], created_by=owner
    )


def basic(client_id: str, secret: str) -> str:
    """The client_secret_basic Authorization header (RFC 6749 §2.3.1)."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def request_token(data: dict, *, ip: str = "192.0.2.10", **headers):
    """POST /oauth2/token form-encoded, as a client would."""
    return Client(REMOTE_ADDR=ip).post(
        "/oauth2/token", urlencode(data), content_type=FORM, **headers
    )


def token_with_secret(created, **extra):
    """Ask for a token with client_secret_post; return the response."""
    return request_token(
        {
            "grant_type": "client_credentials",
            "client_id": created.client.client_id,
            "client_secret": created.plaintext,
            **extra,
        }
    )
