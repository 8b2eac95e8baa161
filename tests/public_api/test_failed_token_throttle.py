"""Repeated refused API tokens from one address get 429 with Retry-After, as SCIM does."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.60"


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.ACCESS_TOKEN_FAILURE_LIMIT = 3
    settings.ACCESS_TOKEN_FAILURE_WINDOW = 60


def bad(ip=ATTACKER, path="/api/v1/employees/"):
    client = APIClient(REMOTE_ADDR=ip)
    client.credentials(HTTP_AUTHORIZATION="Bearer alx_not-a-real-token")
    return client.get(path)


def test_after_the_limit_refused_tokens_get_429_with_retry_after():
    assert [bad().status_code for _ in range(3)] == [HTTPStatus.UNAUTHORIZED] * 3

    response = bad()

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert (body["status"], body["code"], body["errors"]) == (429, "throttled", {})
    assert body["detail"].startswith(
        "Too many failed authentication attempts from this address; retry later."
    )
    assert bad(ip="198.51.100.2").status_code == HTTPStatus.UNAUTHORIZED


def test_scim_and_api_refusals_share_one_counter():
    from django.test import Client

    for _ in range(3):
        Client(REMOTE_ADDR=ATTACKER).get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer wrong")

    assert bad().status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_valid_token_from_a_throttled_address_is_served(api_token):
    for _ in range(4):
        bad()

    client = APIClient(REMOTE_ADDR=ATTACKER)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token.plaintext}")

    assert client.get("/api/v1/employees/").status_code == HTTPStatus.OK
