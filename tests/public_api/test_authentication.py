"""Access-token authentication and scopes on the public API."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from access_tokens.models import AccessToken, Scope
from access_tokens.services import access_token_create, access_token_revoke
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

NEW_EMPLOYEE = {
    "user_name": "new.hire@contoso.com",
    "given_name": "New",
    "family_name": "Hire",
    "work_email": "new.hire@contoso.com",
}


def bearer(plaintext: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.fixture
def token_with(owner):
    def make(*scopes: str):
        return access_token_create(
            name=f"Token {'+'.join(scopes)}", scopes=list(scopes), created_by=owner
        )

    return make


UNAUTHENTICATED = {
    "status": 401,
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
    "errors": {},
}
INVALID = {
    "status": 401,
    "code": "authentication_failed",
    "detail": "The access token is invalid or expired.",
    "errors": {},
}


@pytest.mark.parametrize(
    "url", ["/api/v1/employees/", "/api/v1/departments/", "/api/v1/employees/x/reports/"]
)
def test_no_token_is_401_with_www_authenticate(url):
    response = APIClient().get(url)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == 'Bearer realm="alexis"'
    assert response.json() == UNAUTHENTICATED


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Token abc", "bearer    "])
def test_other_schemes_and_empty_bearer_are_unauthenticated(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/employees/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == 'Bearer realm="alexis"'
    assert response.json() == UNAUTHENTICATED


def test_malformed_unknown_revoked_and_expired_tokens_are_refused_alike(owner, token_with):
    revoked = token_with(Scope.API_READ)
    access_token_revoke(token=revoked.token, revoked_by=owner)
    expired = token_with(Scope.API_READ, Scope.API_WRITE)
    AccessToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    unknown = token_with(Scope.API_READ).plaintext
    AccessToken.objects.filter(prefix=unknown[:14]).delete()

    for plaintext in ["alx_nonsense", unknown, revoked.plaintext, expired.plaintext]:
        response = bearer(plaintext).get("/api/v1/employees/")
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == 'Bearer realm="alexis"'
        assert response.json() == INVALID


def test_token_of_a_demoted_owner_is_refused(owner, token_with):
    token = token_with(Scope.API_READ)
    owner.groups.clear()

    assert bearer(token.plaintext).get("/api/v1/employees/").status_code == 401


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        ([Scope.API_READ], True),
        ([Scope.API_READ, Scope.API_WRITE], True),
        ([Scope.API_WRITE], False),
        ([Scope.SCIM], False),
    ],
)
def test_reading_needs_api_read(token_with, scopes, allowed):
    employee = EmployeeFactory()
    client = bearer(token_with(*scopes).plaintext)

    for url in [
        "/api/v1/employees/",
        f"/api/v1/employees/{employee.public_id}/",
        f"/api/v1/employees/{employee.public_id}/reports/",
        "/api/v1/departments/",
    ]:
        response = client.get(url)
        if allowed:
            assert response.status_code == HTTPStatus.OK
        else:
            assert response.status_code == HTTPStatus.FORBIDDEN
            assert response.json() == {
                "status": 403,
                "code": "permission_denied",
                "detail": "This access token lacks the api:read scope.",
                "errors": {},
            }


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        ([Scope.API_WRITE], True),
        ([Scope.API_READ, Scope.API_WRITE], True),
        ([Scope.API_READ], False),
        ([Scope.SCIM], False),
    ],
)
def test_writing_needs_api_write(token_with, scopes, allowed):
    employee = EmployeeFactory(title="Engineer")
    client = bearer(token_with(*scopes).plaintext)

    created = client.post("/api/v1/employees/", NEW_EMPLOYEE, format="json")
    updated = client.patch(
        f"/api/v1/employees/{employee.public_id}/", {"title": "Lead"}, format="json"
    )

    if allowed:
        assert created.status_code == HTTPStatus.CREATED
        assert updated.status_code == HTTPStatus.OK
    else:
        forbidden = {
            "status": 403,
            "code": "permission_denied",
            "detail": "This access token lacks the api:write scope.",
            "errors": {},
        }
        assert created.status_code == HTTPStatus.FORBIDDEN
        assert created.json() == forbidden
        assert updated.json() == forbidden
        employee.refresh_from_db()
        assert employee.title == "Engineer"


def test_use_is_stamped_on_the_token(token_with):
    created = token_with(Scope.API_READ)
    client = bearer(created.plaintext)
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"

    client.get("/api/v1/employees/")

    created.token.refresh_from_db()
    assert created.token.last_used_at is not None
    assert created.token.last_used_ip == "192.0.2.7"


def test_refused_scope_does_not_stamp_use(token_with):
    created = token_with(Scope.API_WRITE)

    bearer(created.plaintext).get("/api/v1/employees/")

    created.token.refresh_from_db()
    assert created.token.last_used_at is None


def test_session_sign_in_does_not_open_the_api(owner_client):
    response = owner_client.get("/api/v1/employees/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
