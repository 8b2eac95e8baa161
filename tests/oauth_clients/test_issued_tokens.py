"""Issued tokens authenticate SCIM and the API like access tokens, and die with their client."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from access_tokens.models import Scope
from accounts.roles import OWNER
from oauth_clients.services import (
    oauth_client_revoke,
    oauth_credential_revoke,
    oauth_secret_add,
)
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.oauth_clients.conftest import token_with_secret

pytestmark = pytest.mark.django_db


def issued(created) -> str:
    response = token_with_secret(created)
    assert response.status_code == HTTPStatus.OK
    return response.json()["access_token"]


def scim_status(token: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/scim/v2/Users").status_code


def test_scim_and_api_answer_by_the_granted_scopes(entra_client):
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {issued(entra_client)}")

    assert bearer.get("/scim/v2/Users").status_code == HTTPStatus.OK
    assert bearer.get("/api/v1/employees/").status_code == HTTPStatus.OK
    refused = bearer.post("/api/v1/employees/", {}, content_type="application/json")
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["detail"] == "This access token lacks the api:write scope."


def test_the_provisioning_log_names_the_client(entra_client):
    token = issued(entra_client)

    Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/scim/v2/Users")

    event = ProvisioningEvent.objects.get()
    assert (event.token_name, event.status) == ("Entra ID provisioning", 200)
    assert event.token.oauth_credential == entra_client.credential


def test_the_provisioning_log_filters_by_oauth_client(entra_client, owner, owner_client):
    from oauth_clients.services import oauth_client_create

    other = oauth_client_create(name="Script", scopes=[Scope.SCIM], created_by=owner)
    first, second = issued(entra_client), issued(entra_client)  # two tokens of one client
    for token in (first, second, issued(other)):
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/scim/v2/Users")
    mine = set(
        ProvisioningEvent.objects.filter(token_name="Entra ID provisioning").values_list(
            "pk", flat=True
        )
    )

    page = owner_client.get(f"/provisioning/?oauth_client={entra_client.client.pk}")

    assert page.status_code == HTTPStatus.OK
    shown = {int(pk) for pk in re.findall(r'data-event="(\d+)"', page.content.decode())}
    assert shown == mine and len(mine) == 2
    assert f'<option value="{other.client.pk}">Script' in page.content.decode()


def test_an_issued_token_expires_on_time(entra_client, settings):
    settings.OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES = 60
    token = issued(entra_client)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=59), tick=False):
        assert scim_status(token) == HTTPStatus.OK
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61), tick=False):
        assert scim_status(token) == HTTPStatus.UNAUTHORIZED


def test_rotation_revoking_one_secret_keeps_the_other_working(entra_client, owner):
    old_token = issued(entra_client)
    second = oauth_secret_add(client=entra_client.client, created_by=owner, expires_in_days=365)
    new_token = issued(second)

    oauth_credential_revoke(credential=entra_client.credential, revoked_by=owner)

    assert scim_status(old_token) == HTTPStatus.UNAUTHORIZED
    assert scim_status(new_token) == HTTPStatus.OK
    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED
    assert token_with_secret(second).status_code == HTTPStatus.OK


def test_a_third_active_secret_is_refused(entra_client, owner):
    from django.core.exceptions import ValidationError

    oauth_secret_add(client=entra_client.client, created_by=owner)

    with pytest.raises(ValidationError) as refused:
        oauth_secret_add(client=entra_client.client, created_by=owner)

    assert refused.value.message_dict == {
        "expires_in_days": ["This client already has 2 active secrets: revoke one first."]
    }


def test_revoking_the_client_kills_its_tokens_at_once(entra_client, owner):
    token = issued(entra_client)
    second = oauth_secret_add(client=entra_client.client, created_by=owner)
    other_token = issued(second)

    oauth_client_revoke(client=entra_client.client, revoked_by=owner)

    assert scim_status(token) == HTTPStatus.UNAUTHORIZED
    assert scim_status(other_token) == HTTPStatus.UNAUTHORIZED
    assert token_with_secret(second).status_code == HTTPStatus.UNAUTHORIZED


def test_a_demoted_creator_stops_the_client_and_its_tokens(entra_client, owner):
    token = issued(entra_client)

    owner.groups.remove(Group.objects.get(name=OWNER))

    assert scim_status(token) == HTTPStatus.UNAUTHORIZED
    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED
    owner.groups.add(Group.objects.get(name=OWNER))
    assert scim_status(token) == HTTPStatus.OK


def test_a_creator_who_left_stops_the_client(entra_client, owner):
    token = issued(entra_client)

    EmployeeFactory(user=owner, user_name=owner.username, active=False)

    assert scim_status(token) == HTTPStatus.UNAUTHORIZED
    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED


def test_a_deactivated_creator_stops_the_client(entra_client, owner):
    owner.is_active = False
    owner.save()

    assert token_with_secret(entra_client).status_code == HTTPStatus.UNAUTHORIZED


def test_issued_tokens_are_not_listed_with_access_tokens(entra_client, owner_client):
    issued(entra_client)

    page = owner_client.get("/settings/access-tokens/")

    assert "No access tokens yet." in page.content.decode()


def test_scim_with_an_issued_token_costs_what_a_classic_token_costs(
    entra_client, scim_token, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(token: str) -> int:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.get('/scim/v2/Users?filter=userName eq "nobody"')  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get('/scim/v2/Users?filter=userName eq "nobody"').status_code == 200
        return len(queries)

    assert count(issued(entra_client)) == count(scim_token.plaintext)


def test_api_rate_limit_is_shared_by_the_tokens_of_one_credential(entra_client, settings):
    settings.ALEXIS_API_THROTTLE_RATE = "2/minute"
    first, second = issued(entra_client), issued(entra_client)

    statuses = [
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/employees/").status_code
        for token in (first, second, second)
    ]

    assert statuses == [200, 200, 429]


def test_the_scopes_stay_those_of_the_client(owner):
    from oauth_clients.services import oauth_client_create

    created = oauth_client_create(name="API only", scopes=[Scope.API_WRITE], created_by=owner)

    assert scim_status(issued(created)) == HTTPStatus.FORBIDDEN
