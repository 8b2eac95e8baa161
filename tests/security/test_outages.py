"""Real outages (Redis on a closed port, the database unreachable) degrade instead of 500s."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client

from alexis.cache import redis_cache_settings
from tests.factories import EmployeeFactory

# Nothing listens on port 1: every connection is refused at once, as when the server is down.
CLOSED_PORT = "1"
REDIS_DOWN = redis_cache_settings(f"redis://127.0.0.1:{CLOSED_PORT}/0", key_prefix="outage")


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": REDIS_DOWN}


@pytest.mark.django_db
def test_with_redis_down_the_api_and_the_directory_answer(
    redis_down, api_client, hr_admin_client, caplog
):
    EmployeeFactory(user_name="ada@contoso.com", department="Research")

    api = api_client.get("/api/v1/employees/")
    directory = hr_admin_client.get("/employees/")

    assert api.status_code == HTTPStatus.OK
    assert [e["user_name"] for e in api.json()["results"]] == ["ada@contoso.com"]
    assert directory.status_code == HTTPStatus.OK
    assert b"ada@contoso.com" in directory.content
    assert "Redis is unavailable" in caplog.text


@pytest.mark.django_db
def test_with_redis_down_the_scim_bad_token_limit_still_applies(redis_down, settings):
    settings.ACCESS_TOKEN_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.70")

    statuses = [
        client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer wrong").status_code
        for _ in range(5)
    ]

    assert statuses == [HTTPStatus.UNAUTHORIZED] * 3 + [HTTPStatus.TOO_MANY_REQUESTS] * 2


@pytest.mark.django_db
def test_with_redis_down_the_api_rate_limit_still_applies(redis_down, settings, api_client):
    settings.ALEXIS_API_THROTTLE_RATE = "2/minute"

    statuses = [api_client.get("/api/v1/employees/").status_code for _ in range(3)]

    assert statuses == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]


# --- The database unreachable ---------------------------------------------------------------


@pytest.fixture
def stop_database():
    """Return a function that points the connection at a database that cannot be opened.

    SQLite: a file in a directory that does not exist; PostgreSQL: a closed port. The real
    connection is put back when the test ends.
    """
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)

    def stop():
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-alexis-directory/db.sqlite3"
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT=CLOSED_PORT)
        connection.connection = None

    yield stop
    if connection.connection is not None and connection.connection is not saved_connection:
        connection.connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved_settings)
    connection.connection = saved_connection
    connection.needs_rollback = False


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_scim_answers_a_scim_503(scim_token, stop_database, caplog):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}")
    stop_database()

    response = client.get("/scim/v2/Users")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/scim+json"
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "503",
        "detail": "The service is temporarily unavailable; retry later.",
    }
    assert "Cannot record a provisioning event" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_a_scim_write_is_a_scim_503(scim_token, stop_database):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}")
    stop_database()

    response = client.post(
        "/scim/v2/Users", '{"userName": "a@contoso.com"}', content_type="application/scim+json"
    )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["status"] == "503"


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_the_api_answers_a_json_503(api_token, stop_database):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token.plaintext}")
    stop_database()

    response = client.get("/api/v1/employees/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "status": 503,
        "code": "service_unavailable",
        "detail": "The service is temporarily unavailable; retry later.",
        "errors": {},
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/employees/", "/accounts/sign-in/"])
def test_with_the_database_down_pages_answer_a_friendly_503(path, hr_admin, stop_database):
    # As a real server does: answer with handler500's response instead of re-raising.
    client = Client(raise_request_exception=False)
    client.force_login(hr_admin)
    stop_database()

    response = client.get(path)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    assert b"Alexis is unavailable for a moment" in response.content
