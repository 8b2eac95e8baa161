"""Password sign-in next to single sign-on: owners keep break-glass access when SSO is required."""

from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY

from sso.services import sso_configuration_update
from tests.factories import HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SSO_REQUIRED = "Your organisation signs in with Microsoft. Use “Sign in with Microsoft”"


@pytest.fixture
def sso_required(sso_configuration, owner):
    return sso_configuration_update(
        enabled=True,
        require_sso=True,
        idp_entity_id=sso_configuration.idp_entity_id,
        idp_login_url=sso_configuration.idp_login_url,
        idp_certificate=sso_configuration.idp_certificate,
        updated_by=owner,
    )


def sign_in(client, username, password=PASSWORD, url="/accounts/sign-in/"):
    return client.post(url, {"username": username, "password": password})


def test_non_owners_are_refused_password_sign_in_when_sso_is_required(client, sso_required):
    HRAdminFactory(username="hana.hr")

    response = sign_in(client, "hana.hr")

    assert response.status_code == HTTPStatus.OK
    assert SSO_REQUIRED in response.content.decode()
    assert SESSION_KEY not in client.session


def test_wrong_password_does_not_reveal_that_sso_is_required(client, sso_required):
    HRAdminFactory(username="hana.hr")

    response = sign_in(client, "hana.hr", password="wrong")

    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert SSO_REQUIRED not in page


def test_owners_keep_password_sign_in_when_sso_is_required(client, sso_required, owner):
    response = sign_in(client, owner.username)

    assert response.status_code == HTTPStatus.FOUND
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_sign_in_page_says_that_sso_is_required(client, sso_required):
    page = client.get("/accounts/sign-in/").content.decode()

    assert "Sign in with Microsoft" in page
    assert "Password sign-in is for owners only." in page


@pytest.mark.parametrize("enabled", [False, True])
def test_everyone_signs_in_with_a_password_when_sso_is_not_required(client, idp, owner, enabled):
    sso_configuration_update(
        enabled=enabled,
        require_sso=False,
        idp_entity_id=idp.entity_id,
        idp_login_url="https://login.microsoftonline.com/t/saml2",
        idp_certificate=idp.certificate_pem,
        updated_by=owner,
    )
    user = UserFactory(username="erin")

    response = sign_in(client, "erin")

    assert response.status_code == HTTPStatus.FOUND
    assert client.session[SESSION_KEY] == str(user.pk)


def test_admin_sign_in_follows_the_same_rule(client, sso_required, owner):
    HRAdminFactory(username="stan.staff", is_staff=True)

    refused = sign_in(client, "stan.staff", url="/admin/login/")
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    allowed = sign_in(client, owner.username, url="/admin/login/")

    assert refused.status_code == HTTPStatus.OK
    assert SSO_REQUIRED in refused.content.decode()
    assert allowed.status_code == HTTPStatus.FOUND
    assert client.session[SESSION_KEY] == str(owner.pk)
