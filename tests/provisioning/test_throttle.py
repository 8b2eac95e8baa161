"""Repeated refused tokens from one address get 429; a valid token never does."""

from http import HTTPStatus

import pytest
from django.test import Client

from provisioning.models import Operation, ProvisioningEvent
from tests.scim_api.conftest import error_body

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.50"


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.ACCESS_TOKEN_FAILURE_LIMIT = 3
    settings.ACCESS_TOKEN_FAILURE_WINDOW = 60


def bad(ip=ATTACKER):
    return Client(REMOTE_ADDR=ip).get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer wrong")


def test_after_the_limit_refused_requests_get_429_with_retry_after():
    assert [bad().status_code for _ in range(3)] == [401, 401, 401]

    response = bad()

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json() == error_body(
        429, "Too many failed authentication attempts from this address; retry later."
    )
    assert bad(ip="198.51.100.1").status_code == HTTPStatus.UNAUTHORIZED
    events = ProvisioningEvent.objects.order_by("id")
    assert [(e.status, e.operation, e.client_ip) for e in events][-2:] == [
        (429, Operation.REFUSED, ATTACKER),
        (401, Operation.REFUSED, "198.51.100.1"),
    ]
    assert events.count() == 5


def test_a_valid_token_from_a_throttled_address_is_served(scim_token):
    for _ in range(4):
        bad()
    assert bad().status_code == HTTPStatus.TOO_MANY_REQUESTS

    good = Client(REMOTE_ADDR=ATTACKER).get(
        "/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}"
    )

    assert good.status_code == HTTPStatus.OK


def test_sixty_valid_requests_in_a_row_are_never_throttled(scim_client):
    statuses = {scim_client.get("/scim/v2/Users").status_code for _ in range(60)}
    assert statuses == {HTTPStatus.OK}
    assert ProvisioningEvent.objects.filter(status=200).count() == 60


def test_an_unavailable_cache_still_throttles_with_a_warning(settings, caplog):
    # Nothing listens on port 1: every call to the shared cache fails to connect.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    statuses = [bad().status_code for _ in range(5)]

    assert statuses == [HTTPStatus.UNAUTHORIZED] * 3 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert "the shared cache is unavailable" in caplog.text
