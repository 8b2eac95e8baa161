"""SP-initiated sign-in: "Sign in with Microsoft" sends an AuthnRequest and returns to `next`."""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from sso.models import RefusalReason, SignInRefusal
from tests.factories import EmployeeFactory
from tests.sso.conftest import ACS_URL, IDP_LOGIN_URL, SP_ENTITY_ID
from tests.sso.idp import authn_request_parse

pytestmark = pytest.mark.django_db


def start(client, next_path=None):
    query = {"next": next_path} if next_path is not None else {}
    response = client.get("/sso/login/", query)
    assert response.status_code == HTTPStatus.FOUND
    location = urlsplit(response["Location"])
    params = parse_qs(location.query)
    return location, params


def test_sends_an_authn_request_to_entra(client, sso_configuration):
    location, params = start(client, "/employees/?department=Sales")

    assert f"{location.scheme}://{location.netloc}{location.path}" == IDP_LOGIN_URL
    assert params["RelayState"] == ["/employees/?department=Sales"]
    request = authn_request_parse(params["SAMLRequest"][0])
    assert (request.issuer, request.acs_url) == (SP_ENTITY_ID, ACS_URL)
    assert client.session["sso_authn_request_id"] == request.id


@pytest.mark.parametrize(
    "next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "", None]
)
def test_next_is_kept_only_when_it_is_a_local_path(client, sso_configuration, next_path):
    _, params = start(client, next_path)

    assert params["RelayState"] == ["/"]


def test_full_sp_initiated_sign_in_returns_to_next(client, sso_configuration, saml_response):
    employee = EmployeeFactory(user_name="alice@contoso.com")
    _, params = start(client, "/employees/")
    request = authn_request_parse(params["SAMLRequest"][0])

    response = client.post(
        "/sso/acs/",
        {
            "SAMLResponse": saml_response(
                "alice@contoso.com", in_response_to=request.id, audience=request.issuer
            ),
            "RelayState": params["RelayState"][0],
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/employees/"
    employee.refresh_from_db()
    assert client.session[SESSION_KEY] == str(employee.user_id)


def test_response_to_another_request_is_refused(client, sso_configuration, saml_response):
    EmployeeFactory(user_name="alice@contoso.com")
    start(client, "/")

    response = client.post(
        "/sso/acs/",
        {"SAMLResponse": saml_response("alice@contoso.com", in_response_to="_someone_elses")},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    refusal = SignInRefusal.objects.get()
    assert refusal.reason == RefusalReason.INVALID_RESPONSE
    assert "InResponseTo" in refusal.detail


def test_sends_people_back_to_sign_in_when_sso_is_off(client):
    response = client.get("/sso/login/", follow=True)

    assert response.redirect_chain == [("/accounts/sign-in/", HTTPStatus.FOUND)]
    assert "Sign-in with Microsoft is not turned on" in response.content.decode()


def test_sign_in_page_offers_microsoft_only_when_sso_is_on(client, idp, owner):
    assert "Sign in with Microsoft" not in client.get("/accounts/sign-in/").content.decode()

    from sso.services import sso_configuration_update

    sso_configuration_update(
        enabled=True,
        require_sso=False,
        idp_entity_id=idp.entity_id,
        idp_login_url=IDP_LOGIN_URL,
        idp_certificate=idp.certificate_pem,
        updated_by=owner,
    )
    page = client.get("/accounts/sign-in/?next=/employees/%3Fq%3Da%26b").content.decode()

    assert (
        '<a class="button primary sso-button" href="/sso/login/?next=/employees/%3Fq%3Da%26b"'
        in page
    )
    assert "Sign in with Microsoft" in page
