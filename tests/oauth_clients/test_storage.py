"""Client secrets and issued tokens never reach the database or the logs in plain text."""

import io
import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from oauth_clients.models import ClientCredential
from oauth_clients.services import oauth_credential_revoke
from tests.access_tokens.test_storage import rows_of
from tests.oauth_clients.conftest import basic, request_token

pytestmark = pytest.mark.django_db

SECRET_IN_PAGE = re.compile(r"alxcs_[0-9A-Za-z]{60}")


def secret_parts(plaintext: str) -> list[str]:
    """The whole value and its random middle, which alone would be enough to rebuild it."""
    marker = plaintext.index("_") + 1
    middle = plaintext[marker + 10 : -6]
    return [plaintext, plaintext[marker:], middle, middle[:20], middle[-20:]]


@pytest.fixture
def used_secrets_and_tokens(owner_client, owner, caplog):
    """Secrets from the page and the command, tokens from both auth methods; their plaintexts."""
    caplog.set_level(logging.DEBUG)
    page = owner_client.post(
        "/settings/oauth-clients/new/",
        {"name": "Entra", "scopes": ["scim"], "secret_expires_in_days": "365"},
    )
    from_page = SECRET_IN_PAGE.search(page.content.decode()).group(0)
    out = io.StringIO()
    call_command(
        "create_oauth_client",
        "--name=Scripts",
        "--scopes=api:read",
        "--owner=olivia.owner",
        stdout=out,
        stderr=io.StringIO(),
    )
    lines = dict(line.split(": ") for line in out.getvalue().splitlines())
    entra_id = ClientCredential.objects.get(prefix=from_page[:16]).client.client_id
    secrets = [from_page, lines["client_secret"]]
    tokens = [
        request_token(
            {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(entra_id, from_page)
        ).json()["access_token"],
        request_token(
            {
                "grant_type": "client_credentials",
                "client_id": lines["client_id"],
                "client_secret": lines["client_secret"],
            }
        ).json()["access_token"],
    ]
    request_token({"grant_type": "client_credentials", "client_id": entra_id, "client_secret": "x"})
    Client(HTTP_AUTHORIZATION=f"Bearer {tokens[0]}").get("/scim/v2/Users")
    Client(HTTP_AUTHORIZATION=f"Bearer {tokens[1]}").get("/api/v1/employees/")
    oauth_credential_revoke(credential=ClientCredential.objects.first(), revoked_by=owner)
    owner_client.get("/settings/oauth-clients/")
    return secrets + tokens


def test_no_table_holds_a_secret_or_an_issued_token(used_secrets_and_tokens):
    assert len(used_secrets_and_tokens) == 4
    for table in connection.introspection.table_names():
        for row in rows_of(table):
            text = " ".join(map(str, row))
            for plaintext in used_secrets_and_tokens:
                for part in secret_parts(plaintext):
                    assert part not in text, table


def test_logs_hold_no_secret_or_issued_token(used_secrets_and_tokens, caplog):
    records = caplog.get_records("setup")
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in records)

    assert "OAuth client" in logged
    for plaintext in used_secrets_and_tokens:
        for part in secret_parts(plaintext):
            assert part not in logged


def test_created_objects_keep_plaintexts_out_of_their_repr(entra_client):
    assert entra_client.plaintext not in repr(entra_client)
    assert entra_client.plaintext not in str(entra_client.credential)
