"""The shared bearer-token entry point used by SCIM and the public API."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory

from access_tokens.authentication import bearer_token, check_request
from access_tokens.models import Scope

pytestmark = pytest.mark.django_db


def request_with(header: str | None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", **extra)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc", "abc"),
        ("bearer   abc  ", "abc"),
        ("Basic abc", None),
        ("Bearer ", None),
        (None, None),
    ],
)
def test_bearer_token(header, expected):
    assert bearer_token(request_with(header)) == expected


def test_check_request_allows_a_token_with_the_scope_and_stamps_use(scim_token):
    check = check_request(request_with(f"Bearer {scim_token.plaintext}"), scope=Scope.SCIM)

    assert check.status == HTTPStatus.OK
    assert check.ok
    assert check.token == scim_token.token
    scim_token.token.refresh_from_db()
    assert scim_token.token.last_used_ip == "198.51.100.4"


def test_check_request_refuses_a_token_without_the_scope(scim_token):
    check = check_request(request_with(f"Bearer {scim_token.plaintext}"), scope=Scope.API_READ)

    assert check.status == HTTPStatus.FORBIDDEN
    assert check.token == scim_token.token
    scim_token.token.refresh_from_db()
    assert scim_token.token.last_used_at is None


@pytest.mark.parametrize("header", [None, "Bearer alx_wrong", "Basic abc"])
def test_check_request_without_a_usable_token_is_401(header):
    check = check_request(request_with(header), scope=Scope.SCIM)

    assert check.status == HTTPStatus.UNAUTHORIZED
    assert check.token is None
