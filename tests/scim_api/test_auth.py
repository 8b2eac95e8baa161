"""Provisioning tokens are checked on every request."""

from http import HTTPStatus

import pytest

from access_tokens.services import access_token_revoke

pytestmark = pytest.mark.django_db


def test_without_remembering_a_revocation_applies_to_the_next_request(scim, scim_token, owner):
    assert scim.get("Users").status_code == HTTPStatus.OK

    access_token_revoke(token=scim_token.token, revoked_by=owner)

    assert scim.get("Users").status_code == HTTPStatus.UNAUTHORIZED
