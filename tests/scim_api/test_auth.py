"""Provisioning tokens: checked on every request, or remembered briefly when configured."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from access_tokens.models import AccessToken
from access_tokens.services import access_token_revoke
from scim_api import auth

pytestmark = pytest.mark.django_db


def test_without_remembering_a_revocation_applies_to_the_next_request(scim, scim_token, owner):
    assert scim.get("Users").status_code == HTTPStatus.OK

    access_token_revoke(token=scim_token.token, revoked_by=owner)

    assert scim.get("Users").status_code == HTTPStatus.UNAUTHORIZED


def test_a_remembered_token_skips_the_token_query_until_its_time_is_up(
    scim, scim_token, owner, settings, monkeypatch, django_assert_num_queries
):
    settings.SCIM_TOKEN_CACHE_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    with django_assert_num_queries(3):  # token, its last-use stamp, the (empty) page
        assert scim.get("Users").status_code == HTTPStatus.OK
    with django_assert_num_queries(1):  # the page only
        assert scim.get("Users").status_code == HTTPStatus.OK

    access_token_revoke(token=scim_token.token, revoked_by=owner)
    clock[0] += 29
    assert scim.get("Users").status_code == HTTPStatus.OK
    clock[0] += 2

    assert scim.get("Users").status_code == HTTPStatus.UNAUTHORIZED


def test_a_remembered_token_is_refused_once_it_expires(scim, scim_token, settings):
    settings.SCIM_TOKEN_CACHE_SECONDS = 30
    assert scim.get("Users").status_code == HTTPStatus.OK
    remembered = next(iter(auth._accepted.values()))[1]
    remembered.expires_at = timezone.now() - dt.timedelta(seconds=1)
    AccessToken.objects.filter(pk=scim_token.token.pk).update(expires_at=remembered.expires_at)

    assert scim.get("Users").status_code == HTTPStatus.UNAUTHORIZED


def test_refused_tokens_are_never_remembered(client, settings):
    settings.SCIM_TOKEN_CACHE_SECONDS = 30

    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer alx_wrong")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert auth._accepted == {}
