"""The whole client credentials flow over HTTP against the live server, as Entra runs it."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
import requests
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.roles import OWNER
from employees.models import Employee
from oauth_clients.models import ClientCredential, OAuthClient

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_IN_PAGE = re.compile(r"alxcs_[0-9A-Za-z]{60}")
CSRF_IN_PAGE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


class Browser:
    """An owner's signed-in HTTP session that submits the Settings forms."""

    def __init__(self, base: str, owner) -> None:
        django_client = Client()
        django_client.force_login(owner)
        self.base = base
        self.session = requests.Session()
        self.session.cookies.set(
            django_settings.SESSION_COOKIE_NAME,
            django_client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        )

    def submit(self, form_url: str, data: dict, action: str | None = None) -> requests.Response:
        page = self.session.get(self.base + form_url, timeout=10)
        token = CSRF_IN_PAGE.search(page.text).group(1)
        return self.session.post(
            self.base + (action or form_url),
            data={**data, "csrfmiddlewaretoken": token},
            timeout=10,
        )


def get_token(base: str, client_id: str, secret: str, **extra) -> requests.Response:
    return requests.post(
        f"{base}/oauth2/token",
        data={"grant_type": "client_credentials", **extra},
        auth=(client_id, secret),  # client_secret_basic
        timeout=10,
    )


def scim(base: str, token: str, method: str = "GET", path: str = "/Users", **kwargs):
    return requests.request(
        method,
        f"{base}/scim/v2{path}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
        timeout=10,
        **kwargs,
    )


def user(name: str) -> dict:
    return {
        "schemas": [CORE],
        "userName": f"{name}@contoso.com",
        "name": {"givenName": name.capitalize(), "familyName": "Lovelace"},
        "emails": [{"type": "work", "value": f"{name}@contoso.com", "primary": True}],
        "active": True,
    }


def test_client_credentials_end_to_end(live_server, owner, settings):
    settings.OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES = 60
    base = live_server.url
    browser = Browser(base, owner)

    # An owner creates the client in Settings and copies the id and the first secret.
    page = browser.submit(
        "/settings/oauth-clients/new/",
        {"name": "Entra ID provisioning", "scopes": ["scim"], "secret_expires_in_days": "365"},
    )
    assert page.status_code == HTTPStatus.OK
    client = OAuthClient.objects.get()
    first_secret = SECRET_IN_PAGE.search(page.text).group(0)
    assert client.client_id in page.text

    # Entra gets a token and provisions a user with it.
    response = get_token(base, client.client_id, first_secret)
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Cache-Control"] == "no-store"
    first_token = response.json()["access_token"]
    created = scim(base, first_token, "POST", json=user("ada"))
    assert created.status_code == HTTPStatus.CREATED
    assert Employee.objects.get(user_name="ada@contoso.com").given_name == "Ada"

    # Wrong secret, wrong scope.
    wrong = get_token(base, client.client_id, first_secret[:-4] + "0000")
    assert wrong.status_code == HTTPStatus.UNAUTHORIZED
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["WWW-Authenticate"] == 'Basic realm="alexis"'
    scope = get_token(base, client.client_id, first_secret, scope="api:write")
    assert (scope.status_code, scope.json()["error"]) == (400, "invalid_scope")

    # Rotation: add a second secret, switch to it, revoke the first.
    detail = f"/settings/oauth-clients/{client.pk}/"
    page = browser.submit(detail, {"expires_in_days": "730"}, action=f"{detail}secrets/new/")
    second_secret = SECRET_IN_PAGE.search(page.text).group(0)
    second_token = get_token(base, client.client_id, second_secret).json()["access_token"]
    assert scim(base, second_token).status_code == HTTPStatus.OK
    old = ClientCredential.objects.get(prefix=first_secret[:16])
    revoke_url = f"{detail}credentials/{old.pk}/revoke/"
    assert browser.submit(revoke_url, {}).status_code == HTTPStatus.OK  # redirected to detail
    assert scim(base, first_token).status_code == HTTPStatus.UNAUTHORIZED
    assert get_token(base, client.client_id, first_secret).status_code == 401
    assert scim(base, second_token).status_code == HTTPStatus.OK

    # The token expires on time; a new one is issued in the future.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        assert scim(base, second_token).status_code == HTTPStatus.UNAUTHORIZED
        later = get_token(base, client.client_id, second_secret).json()["access_token"]
        assert scim(base, later).status_code == HTTPStatus.OK

    # A demoted creator stops the client; restored, it works again.
    current = get_token(base, client.client_id, second_secret).json()["access_token"]
    owner_group = Group.objects.get(name=OWNER)
    owner.groups.remove(owner_group)
    assert scim(base, current).status_code == HTTPStatus.UNAUTHORIZED
    assert get_token(base, client.client_id, second_secret).status_code == 401
    owner.groups.add(owner_group)
    assert scim(base, current).status_code == HTTPStatus.OK

    # A revoked client and every token it holds stop at once.
    assert browser.submit(f"{detail}revoke/", {}).status_code == HTTPStatus.OK
    assert scim(base, current).status_code == HTTPStatus.UNAUTHORIZED
    assert get_token(base, client.client_id, second_secret).status_code == 401
