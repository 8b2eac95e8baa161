"""SCIM requests skip the middleware that serves people in browsers (alexis.middleware)."""

from http import HTTPStatus

import pytest

from tests.scim_api.conftest import ERROR

pytestmark = pytest.mark.django_db


def test_a_scim_request_uses_no_session_or_signed_in_user(owner_client, scim_token):
    # A signed-in owner's browser cookie is not a credential for SCIM: its session is never
    # even loaded, and the answer sets no cookie.
    refused = owner_client.get("/scim/v2/Users")

    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert refused.json()["schemas"] == [ERROR]
    assert not hasattr(refused.wsgi_request, "session")
    assert not hasattr(refused.wsgi_request, "user")
    assert not refused.cookies

    owner_client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scim_token.plaintext}"
    listed = owner_client.get("/scim/v2/Users")
    assert listed.status_code == HTTPStatus.OK
    assert not hasattr(listed.wsgi_request, "session")
    assert not listed.cookies
    # SecurityMiddleware, listed before the SCIM shortcut, still applies.
    assert listed["X-Content-Type-Options"] == "nosniff"


def test_pages_keep_the_whole_middleware_stack(owner_client):
    page = owner_client.get("/")

    assert page.status_code == HTTPStatus.OK
    assert page.wsgi_request.user.is_authenticated
    assert "Content-Security-Policy" in page
    assert page["X-Frame-Options"] == "DENY"


def test_a_scim_error_inside_the_view_is_still_a_scim_error(scim_client):
    response = scim_client.get("/scim/v2/Users?count=many")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
