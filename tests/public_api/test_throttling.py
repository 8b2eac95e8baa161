"""Per-token throttling: 429 with Retry-After once a token uses up its rate."""

import subprocess
import sys
import time
from http import HTTPStatus

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from access_tokens.models import Scope
from access_tokens.services import access_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_token_over_its_rate_gets_429_with_retry_after(api_client, settings):
    settings.ALEXIS_API_THROTTLE_RATE = "3/minute"

    statuses = [api_client.get("/api/v1/departments/").status_code for _ in range(3)]
    refused = api_client.get("/api/v1/employees/")

    assert statuses == [HTTPStatus.OK] * 3
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {
        "status": 429,
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {refused['Retry-After']} seconds.",
        "errors": {},
    }


def test_writes_count_against_the_same_rate(api_client, settings):
    settings.ALEXIS_API_THROTTLE_RATE = "1/hour"

    api_client.get("/api/v1/departments/")
    refused = api_client.post("/api/v1/employees/", {}, format="json")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 3500 <= int(refused["Retry-After"]) <= 3600


def test_each_token_has_its_own_budget(api_client, owner, settings):
    settings.ALEXIS_API_THROTTLE_RATE = "1/minute"
    other = access_token_create(name="Other", scopes=[Scope.API_READ], created_by=owner)
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Bearer {other.plaintext}")

    first = api_client.get("/api/v1/departments/")
    second = api_client.get("/api/v1/departments/")
    other_first = other_client.get("/api/v1/departments/")

    assert [first.status_code, second.status_code, other_first.status_code] == [200, 429, 200]


def test_refused_requests_are_answered_before_throttling(settings):
    settings.ALEXIS_API_THROTTLE_RATE = "1/minute"

    statuses = {APIClient().get("/api/v1/employees/").status_code for _ in range(3)}

    assert statuses == {HTTPStatus.UNAUTHORIZED}


def settings_dir() -> str:
    from django.conf import settings

    return str(settings.BASE_DIR)


def test_throttle_rate_must_be_well_formed():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "alexis.settings",
            "DJANGO_DEBUG": "true",
            "ALEXIS_API_THROTTLE_RATE": "lots",
            "PATH": "/usr/bin:/bin",
        },
        cwd=settings_dir(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ALEXIS_API_THROTTLE_RATE must read like 600/minute" in result.stderr


def test_a_tokens_window_ends_and_its_count_starts_again(api_client, settings):
    settings.ALEXIS_API_THROTTLE_RATE = "1/second"

    for _ in range(5):  # a busy machine may take a second between two requests: again
        opened = time.monotonic()
        first = api_client.get("/api/v1/departments/")
        refused = api_client.get("/api/v1/departments/")
        if time.monotonic() - opened < 0.9:
            break
        time.sleep(1.1)
    time.sleep(1.1)
    after_the_window = api_client.get("/api/v1/departments/")

    assert (first.status_code, refused.status_code) == (HTTPStatus.OK, 429)
    assert refused["Retry-After"] == "1"
    assert after_the_window.status_code == HTTPStatus.OK
