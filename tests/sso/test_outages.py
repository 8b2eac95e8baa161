"""A refused single sign-on while Redis is down is still a refusal page, not a 500."""

from http import HTTPStatus

import pytest

from alexis.cache import redis_cache_settings
from sso.models import SignInRefusal

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every Redis call is refused at once.
REDIS_DOWN = redis_cache_settings("redis://127.0.0.1:1/0", key_prefix="sso-outage")


def test_a_refused_sign_in_with_redis_down_is_refused_and_recorded(
    client, settings, sso_configuration, other_idp, caplog
):
    settings.CACHES = {"default": REDIS_DOWN}
    forged = other_idp.response(
        name_id="alice@contoso.com",
        acs_url="http://testserver/sso/acs/",
        audience="http://testserver/sso/metadata/",
    )

    response = client.post("/sso/acs/", {"SAMLResponse": forged})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.count() == 1
    assert "Redis is unavailable" in caplog.text


def test_the_refusal_limit_still_applies_with_redis_down(client, settings, sso_configuration):
    settings.CACHES = {"default": REDIS_DOWN}
    settings.SSO_REFUSAL_LIMIT = 2

    statuses = [client.post("/sso/acs/", {"SAMLResponse": "junk"}).status_code for _ in range(3)]

    assert statuses == [HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS]
