from http import HTTPStatus

import pytest

from access_tokens.models import AccessToken, Scope
from access_tokens.services import access_token_create, access_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def created(owner):
    created = access_token_create(
        name="Entra ID", scopes=[Scope.SCIM], created_by=owner, ip_address="192.0.2.5"
    )
    access_token_revoke(token=created.token, revoked_by=owner, ip_address="192.0.2.6")
    return created


def test_token_list_and_page_show_no_digest_or_secret(superuser_client, created):
    token = AccessToken.objects.get()
    pages = [
        superuser_client.get("/admin/access_tokens/accesstoken/"),
        superuser_client.get(f"/admin/access_tokens/accesstoken/{token.pk}/change/"),
        superuser_client.get("/admin/access_tokens/accesstokenevent/"),
    ]

    for response in pages:
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert token.masked in html
        assert token.digest not in html
        assert created.plaintext not in html
        assert created.plaintext[14:58] not in html
    assert "192.0.2.6" in pages[1].content.decode()
    assert "Revoked" in pages[1].content.decode()


def test_tokens_and_events_are_read_only(superuser_client, created):
    token = AccessToken.objects.get()
    event = token.events.first()

    assert superuser_client.get("/admin/access_tokens/accesstoken/add/").status_code == 403
    assert (
        superuser_client.post(
            f"/admin/access_tokens/accesstoken/{token.pk}/change/", {"name": "Changed"}
        ).status_code
        == 403
    )
    assert (
        superuser_client.post(
            f"/admin/access_tokens/accesstoken/{token.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert superuser_client.get("/admin/access_tokens/accesstokenevent/add/").status_code == 403
    assert (
        superuser_client.post(
            f"/admin/access_tokens/accesstokenevent/{event.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert AccessToken.objects.get().name == "Entra ID"
    assert token.events.count() == 2
