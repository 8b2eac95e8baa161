"""A valid token without the needed scope: 403 with an insufficient_scope challenge (RFC 6750)."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from access_tokens.models import Scope
from access_tokens.services import access_token_create

pytestmark = pytest.mark.django_db


def token(owner, *scopes):
    return access_token_create(name="Narrow", scopes=list(scopes), created_by=owner).plaintext


def test_scim_answers_a_token_without_the_provisioning_scope_with_the_challenge(client, owner):
    response = client.get(
        "/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {token(owner, Scope.API_READ)}"
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["WWW-Authenticate"] == (
        'Bearer realm="alexis", error="insufficient_scope", scope="scim"'
    )


@pytest.mark.parametrize(
    ("method", "scopes", "needed"),
    [("get", [Scope.API_WRITE], "api:read"), ("post", [Scope.API_READ], "api:write")],
)
def test_the_api_answers_a_token_without_the_scope_with_the_challenge(
    owner, method, scopes, needed
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token(owner, *scopes)}")

    response = getattr(client, method)("/api/v1/employees/", {}, format="json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["WWW-Authenticate"] == (
        f'Bearer realm="alexis", error="insufficient_scope", scope="{needed}"'
    )
    assert response.json()["code"] == "permission_denied"
