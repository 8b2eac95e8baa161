"""Fixtures for single sign-on: a test identity provider and a configuration that trusts it."""

import uuid

import pytest

from sso.services import sso_configuration_update
from tests.sso.idp import TestIdentityProvider

ACS_URL = "http://testserver/sso/acs/"
SP_ENTITY_ID = "http://testserver/sso/metadata/"
IDP_LOGIN_URL = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000a1e5/saml2"


@pytest.fixture(scope="session")
def idp():
    return TestIdentityProvider()


@pytest.fixture(scope="session")
def other_idp():
    """An identity provider the service provider does not trust (its own key)."""
    return TestIdentityProvider()


@pytest.fixture
def sso_configuration(idp, owner):
    """Single sign-on turned on and trusting the test identity provider."""
    return sso_configuration_update(
        enabled=True,
        require_sso=False,
        idp_entity_id=idp.entity_id,
        idp_login_url=IDP_LOGIN_URL,
        idp_certificate=idp.certificate_pem,
        updated_by=owner,
    )


@pytest.fixture
def saml_response(idp):
    """Build a Base64 SAMLResponse for the test client's ACS URL and entity ID."""

    def build(name_id: str, **kwargs) -> str:
        kwargs.setdefault("acs_url", ACS_URL)
        kwargs.setdefault("audience", SP_ENTITY_ID)
        return idp.response(name_id=name_id, **kwargs)

    return build


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Give each test its own cache, so refusal counters never leak between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"sso-tests-{uuid.uuid4()}",
        }
    }
