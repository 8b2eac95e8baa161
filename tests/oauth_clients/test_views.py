"""Settings > OAuth clients, the single sign-on page's Entra values and expiry warnings."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from access_tokens.models import Scope
from oauth_clients.models import ClientCredential, OAuthClient, OAuthClientEvent
from oauth_clients.services import oauth_client_create
from tests.oauth_clients.conftest import token_with_secret

pytestmark = pytest.mark.django_db

LIST_URL = "/settings/oauth-clients/"
CREATE_URL = "/settings/oauth-clients/new/"
SECRET_IN_PAGE = re.compile(r"alxcs_[0-9A-Za-z]{60}")
VALID = {
    "name": "Entra ID provisioning",
    "description": "Client credentials for the enterprise app",
    "scopes": ["scim"],
    "secret_expires_in_days": "365",
}


def field_errors(html: str, field: str) -> list[str]:
    """Return the error texts shown in the form field block whose input is id_<field>."""
    for match in re.finditer(r'<(div|fieldset) class="field">.*?</\1>', html, re.S):
        block = match.group(0)
        if f'id="id_{field}"' in block or f'id="id_{field}_0"' in block:
            return re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', block, re.S)
    raise AssertionError(f"no field block for {field}")


def detail_url(client: OAuthClient) -> str:
    return f"/settings/oauth-clients/{client.pk}/"


@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL])
def test_only_owners_see_the_pages(hr_admin_client, url):
    assert hr_admin_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert hr_admin_client.post(url, VALID).status_code == HTTPStatus.FORBIDDEN
    assert Client().get(url).status_code == HTTPStatus.FOUND
    assert not OAuthClient.objects.exists()


def test_others_cannot_revoke_or_add_secrets(hr_admin_client, entra_client):
    client = entra_client.client
    for url in (
        f"{detail_url(client)}revoke/",
        f"{detail_url(client)}secrets/new/",
        f"{detail_url(client)}federated/new/",
    ):
        assert hr_admin_client.post(url, {}).status_code == HTTPStatus.FORBIDDEN
    assert OAuthClient.objects.get().revoked_at is None


def test_an_owner_creates_a_client_and_sees_the_secret_once(owner_client):
    response = owner_client.post(CREATE_URL, VALID)

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    client = OAuthClient.objects.get()
    assert client.client_id in html
    secret = SECRET_IN_PAGE.search(html).group(0)
    assert "This secret will not be shown again." in html
    assert token_with_secret_plain(client.client_id, secret).status_code == HTTPStatus.OK
    credential = ClientCredential.objects.get()
    assert abs(credential.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(
        minutes=1
    )
    # Reloading the page shows no secret.
    again = owner_client.get(detail_url(client)).content.decode()
    assert SECRET_IN_PAGE.search(again) is None
    assert credential.masked in again
    assert [e.action for e in OAuthClientEvent.objects.order_by("id")] == [
        "created",
        "secret_added",
    ]


def token_with_secret_plain(client_id: str, secret: str):
    from tests.oauth_clients.conftest import request_token

    return request_token(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )


def test_form_errors_are_shown_beside_the_fields(owner_client):
    response = owner_client.post(CREATE_URL, {"name": "", "secret_expires_in_days": "9999"})

    html = response.content.decode()
    assert field_errors(html, "name") == ["Enter a name."]
    assert field_errors(html, "scopes") == ["Choose at least one scope."]
    assert field_errors(html, "secret_expires_in_days") == [
        "Select a valid choice. 9999 is not one of the available choices."
    ]
    assert not OAuthClient.objects.exists()


def test_a_second_secret_is_shown_once_and_a_third_refused(owner_client, entra_client):
    url = f"{detail_url(entra_client.client)}secrets/new/"

    response = owner_client.post(url, {"expires_in_days": "1095"})

    assert response.status_code == HTTPStatus.OK
    secret = SECRET_IN_PAGE.search(response.content.decode()).group(0)
    assert secret != entra_client.plaintext
    refused = owner_client.post(url, {"expires_in_days": "365"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert field_errors(refused.content.decode(), "expires_in_days") == [
        "This client already has 2 active secrets: revoke one first."
    ]
    assert SECRET_IN_PAGE.search(refused.content.decode()) is None


def test_revoking_a_secret_asks_first_then_revokes(owner_client, entra_client):
    url = f"{detail_url(entra_client.client)}credentials/{entra_client.credential.pk}/revoke/"

    confirm = owner_client.get(url)
    assert "Revoking cannot be undone." in confirm.content.decode()
    assert token_with_secret(entra_client).status_code == HTTPStatus.OK

    response = owner_client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED


def test_revoking_the_client(owner_client, entra_client):
    url = f"{detail_url(entra_client.client)}revoke/"

    assert owner_client.post(url).status_code == HTTPStatus.FOUND

    page = owner_client.get(LIST_URL).content.decode()
    assert "Revoked" in page
    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED


def test_a_federated_credential_is_added_through_its_form(owner_client, entra_client, settings):
    url = f"{detail_url(entra_client.client)}federated/new/"
    data = {
        "name": "Entra workload identity",
        "issuer": "https://login.microsoftonline.com/contoso-tenant/v2.0",
        "subject": "0f6b-service-principal",
        "audience": "api://AzureADTokenExchange",
    }

    response = owner_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    credential = ClientCredential.objects.get(kind="federated")
    assert (credential.issuer, credential.jwks_url, credential.jwks) == (data["issuer"], "", None)
    page = owner_client.get(detail_url(entra_client.client)).content.decode()
    assert (
        "https://login.microsoftonline.com/contoso-tenant/v2.0/.well-known/openid-configuration"
        in page
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"jwks_url": "http://keys.example.com/jwks"}, "jwks_url", "Enter an https URL."),
        ({"jwks": "{not json"}, "jwks", "This is not valid JSON."),
        (
            {"jwks": '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'},
            "jwks",
            "This JWKS holds a private or shared key; give the public keys only.",
        ),
        (
            {"jwks": '{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg"}]}'},
            "jwks",
            "Only RSA and EC public keys are accepted.",
        ),
        ({"jwks": '{"keys": "none"}'}, "jwks", "A JWKS is a JSON object with a list of keys."),
        ({"issuer": "urn:example:issuer"}, "jwks_url", None),
    ],
)
def test_federated_form_errors(owner_client, entra_client, changes, field, message):
    data = {
        "name": "Workload",
        "issuer": "https://issuer.example.com",
        "subject": "sub",
        "audience": "aud",
        **changes,
    }

    response = owner_client.post(f"{detail_url(entra_client.client)}federated/new/", data)

    assert response.status_code == HTTPStatus.OK
    errors = field_errors(response.content.decode(), field)
    if message:
        assert errors == [message]
    else:
        assert errors == ["The issuer is not an https URL: give a keys URL or upload keys."]
    assert not ClientCredential.objects.filter(kind="federated").exists()


def test_the_sso_page_shows_what_to_paste_into_entra(owner_client, entra_client, owner):
    oauth_client_create(name="Reporting", scopes=[Scope.API_READ], created_by=owner)

    html = owner_client.get("/settings/single-sign-on/").content.decode()

    assert "OAuth2 Client Credentials Grant" in html
    assert 'value="http://testserver/oauth2/token"' in html
    assert 'value="http://testserver/scim/v2"' in html
    assert f'value="{entra_client.client.client_id}"' in html
    assert "Reporting" not in html


def expire_in(credential: ClientCredential, days: int) -> None:
    ClientCredential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=days)
    )


def test_expiring_secrets_are_shown_on_the_home_page_and_in_settings(owner_client, entra_client):
    assert "Client secrets expiring soon" not in owner_client.get("/").content.decode()
    expire_in(entra_client.credential, 29)

    home = owner_client.get("/").content.decode()
    settings_page = owner_client.get(LIST_URL).content.decode()

    for html in (home, settings_page):
        assert "Client secrets expiring soon" in html
        assert entra_client.credential.masked in html
    assert "Expires soon" in owner_client.get(detail_url(entra_client.client)).content.decode()


def test_hr_admins_do_not_see_the_warning(hr_admin_client, entra_client):
    expire_in(entra_client.credential, 5)

    assert "Client secrets expiring soon" not in hr_admin_client.get("/").content.decode()


def test_the_settings_menu_links_the_page(owner_client):
    assert f'href="{LIST_URL}"' in owner_client.get(LIST_URL).content.decode()
