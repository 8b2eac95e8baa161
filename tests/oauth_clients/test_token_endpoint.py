"""POST /oauth2/token with client secrets: RFC 6749 §4.4 answers and §5.2 errors."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from access_tokens.models import AccessToken, Scope
from oauth_clients.models import ClientCredential
from oauth_clients.services import oauth_credential_revoke, oauth_secret_add
from tests.oauth_clients.conftest import basic, request_token, token_with_secret

pytestmark = pytest.mark.django_db


def error(code: str, description: str) -> dict:
    return {"error": code, "error_description": description}


def test_client_secret_post_issues_a_bearer_token(entra_client, settings):
    settings.OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES = 90

    response = token_with_secret(entra_client)

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == (
        "Bearer",
        5400,
        "api:read scim",
    )
    token = AccessToken.objects.get(oauth_credential=entra_client.credential)
    assert body["access_token"].startswith(token.prefix)
    assert (token.name, token.created_by, token.scopes) == (
        "Entra ID provisioning",
        entra_client.client.created_by,
        ["api:read", "scim"],
    )
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(minutes=90))) < dt.timedelta(
        seconds=5
    )
    credential = ClientCredential.objects.get(pk=entra_client.credential.pk)
    assert credential.last_used_ip == "192.0.2.10"


def test_client_secret_basic_issues_a_token_that_works_for_scim(entra_client):
    response = request_token(
        {"grant_type": "client_credentials", "scope": "scim"},
        HTTP_AUTHORIZATION=basic(entra_client.client.client_id, entra_client.plaintext),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["scope"] == "scim"
    scim = Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    assert scim.get("/scim/v2/Users").status_code == HTTPStatus.OK
    # Only the requested scope was granted.
    api = scim.get("/api/v1/employees/")
    assert api.status_code == HTTPStatus.FORBIDDEN


def test_wrong_secret_is_invalid_client_with_401_and_www_authenticate(entra_client):
    other = oauth_secret_add(client=entra_client.client, created_by=entra_client.client.created_by)
    oauth_credential_revoke(credential=other.credential, revoked_by=entra_client.client.created_by)
    real = entra_client.plaintext
    altered = real[:-1] + ("y" if real.endswith("x") else "x")  # never the real secret
    for secret in ("nope", altered, other.plaintext):
        response = request_token(
            {
                "grant_type": "client_credentials",
                "client_id": entra_client.client.client_id,
                "client_secret": secret,
            }
        )

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == 'Basic realm="alexis"'
        assert response["Cache-Control"] == "no-store"
        assert response.json() == error("invalid_client", "Client authentication failed.")
    assert not AccessToken.objects.exists()


def test_a_secret_of_another_client_is_refused(entra_client, owner):
    from oauth_clients.services import oauth_client_create

    other = oauth_client_create(name="Other", scopes=[Scope.SCIM], created_by=owner)

    response = request_token(
        {
            "grant_type": "client_credentials",
            "client_id": other.client.client_id,
            "client_secret": entra_client.plaintext,
        }
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    ("data", "code", "description"),
    [
        ({}, "invalid_request", "grant_type is required."),
        (
            {"grant_type": "password"},
            "unsupported_grant_type",
            "Use grant_type=client_credentials or urn:ietf:params:oauth:grant-type:jwt-bearer.",
        ),
        (
            {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"},
            "invalid_request",
            "The jwt-bearer grant needs an assertion.",
        ),
    ],
)
def test_malformed_requests_get_400(data, code, description):
    response = request_token(data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(code, description)


def test_missing_client_authentication_is_invalid_client():
    response = request_token({"grant_type": "client_credentials"})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == error("invalid_client", "Client authentication is required.")


def test_two_authentication_methods_at_once_are_refused(entra_client):
    response = request_token(
        {
            "grant_type": "client_credentials",
            "client_id": entra_client.client.client_id,
            "client_secret": entra_client.plaintext,
        },
        HTTP_AUTHORIZATION=basic(entra_client.client.client_id, entra_client.plaintext),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error("invalid_request", "Use one client authentication method only.")


def test_a_repeated_parameter_is_refused(entra_client):
    response = Client().post(
        "/oauth2/token",
        "grant_type=client_credentials&grant_type=client_credentials",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error("invalid_request", "The parameter grant_type is repeated.")


def test_multipart_bodies_are_refused(entra_client):
    response = Client().post("/oauth2/token", {"grant_type": "client_credentials"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error(
        "invalid_request", "Send the parameters as application/x-www-form-urlencoded."
    )


def test_json_bodies_are_refused(entra_client):
    response = Client().post(
        "/oauth2/token", {"grant_type": "client_credentials"}, content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_request"


def test_get_is_not_allowed():
    assert Client().get("/oauth2/token").status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize(
    ("scope", "description"),
    [
        ("api:write", "The client is not allowed the requested scope."),
        ("scim admin", "Unknown scope: admin."),
    ],
)
def test_a_scope_the_client_lacks_is_invalid_scope(entra_client, scope, description):
    response = token_with_secret(entra_client, scope=scope)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error("invalid_scope", description)
    assert not AccessToken.objects.exists()


def test_expired_secret_is_refused(entra_client):
    with time_machine.travel(timezone.now() + dt.timedelta(days=731), tick=False):
        response = token_with_secret(entra_client)

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_failures_are_throttled_per_ip_and_a_valid_client_is_not(entra_client, settings):
    settings.ACCESS_TOKEN_FAILURE_LIMIT = 3
    wrong = {
        "grant_type": "client_credentials",
        "client_id": entra_client.client.client_id,
        "client_secret": "wrong",
    }

    statuses = [request_token(wrong, ip="203.0.113.9").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    response = request_token(wrong, ip="203.0.113.9")
    assert 1 <= int(response["Retry-After"]) <= settings.ACCESS_TOKEN_FAILURE_WINDOW
    assert response["Cache-Control"] == "no-store"
    assert response.json() == error(
        "invalid_request", "Too many failed attempts from this address; retry later."
    )
    assert request_token(wrong, ip="198.51.100.7").status_code == HTTPStatus.UNAUTHORIZED
    valid = {**wrong, "client_secret": entra_client.plaintext}
    assert request_token(valid, ip="203.0.113.9").status_code == HTTPStatus.OK


def test_a_token_request_costs_a_fixed_number_of_queries(
    entra_client, django_assert_max_num_queries
):
    token_with_secret(entra_client)  # warm the creator's role cache, as a running server has

    with django_assert_max_num_queries(8):
        assert token_with_secret(entra_client).status_code == HTTPStatus.OK
