"""The plaintext token never reaches the database, the session or the logs."""

import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory

from access_tokens.authentication import check_request
from access_tokens.models import AccessToken, AccessTokenEvent, Scope
from access_tokens.services import access_token_create, access_token_revoke

pytestmark = pytest.mark.django_db

TOKEN_IN_PAGE = re.compile(r"alx_[0-9A-Za-z]{60}")


def secret_parts(plaintext: str) -> list[str]:
    """The whole token and its secret middle, which alone would be enough to rebuild it."""
    return [plaintext, plaintext[4:], plaintext[14:58], plaintext[14:34], plaintext[38:58]]


def rows_of(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchall()


def assert_nowhere_in(rows: list[tuple], plaintexts: list[str]) -> None:
    for row in rows:
        for value in row:
            text = value.decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
            for plaintext in plaintexts:
                for part in secret_parts(plaintext):
                    assert part not in text


@pytest.fixture
def used_and_revoked_tokens(owner_client, owner, caplog):
    """Tokens made through the page and the service, used, revoked; their plaintexts."""
    caplog.set_level(logging.DEBUG)
    response = owner_client.post(
        "/settings/access-tokens/new/",
        {"name": "Through the page", "scopes": ["scim", "api:read"], "expires_in_days": "30"},
    )
    from_page = TOKEN_IN_PAGE.search(response.content.decode()).group(0)
    from_service = access_token_create(
        name="Through the service", scopes=[Scope.API_WRITE], created_by=owner
    )
    for raw in (from_page, from_service.plaintext):
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert check_request(request, Scope.SCIM).status in (200, 403)
    access_token_revoke(token=from_service.token, revoked_by=owner, ip_address="192.0.2.1")
    owner_client.get("/settings/access-tokens/")
    return [from_page, from_service.plaintext]


def test_token_table_never_holds_the_plaintext(used_and_revoked_tokens):
    rows = rows_of(AccessToken._meta.db_table)

    assert len(rows) == 2
    assert len(rows[0]) == len(AccessToken._meta.concrete_fields)
    assert_nowhere_in(rows, used_and_revoked_tokens)


def test_audit_table_never_holds_the_plaintext(used_and_revoked_tokens):
    rows = rows_of(AccessTokenEvent._meta.db_table)

    assert len(rows) == 3
    assert_nowhere_in(rows, used_and_revoked_tokens)


def test_no_table_in_the_database_holds_the_plaintext(used_and_revoked_tokens):
    tables = connection.introspection.table_names()
    assert AccessToken._meta.db_table in tables

    for table in tables:
        assert_nowhere_in(rows_of(table), used_and_revoked_tokens)


def test_sessions_never_hold_the_plaintext(used_and_revoked_tokens):
    sessions = [session.get_decoded() for session in Session.objects.all()]

    assert sessions
    assert_nowhere_in(
        [tuple(map(str, session.items())) for session in sessions], used_and_revoked_tokens
    )


def test_logs_never_hold_the_plaintext(used_and_revoked_tokens, caplog):
    records = caplog.get_records("setup")
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in records)

    assert "access token" in logged
    for plaintext in used_and_revoked_tokens:
        for part in secret_parts(plaintext):
            assert part not in logged


def test_stored_fields_cannot_rebuild_the_token(used_and_revoked_tokens):
    for token in AccessToken.objects.all():
        plaintext = next(raw for raw in used_and_revoked_tokens if raw.startswith(token.prefix))
        # Only the public lookup prefix and the last four characters are kept as text.
        assert plaintext == token.prefix + plaintext[14:-4] + token.last_four
        assert len(token.digest) == 64
        assert token.digest not in plaintext


def test_created_token_keeps_the_plaintext_out_of_its_repr(owner):
    created = access_token_create(name="Repr", scopes=[Scope.SCIM], created_by=owner)

    assert created.plaintext not in repr(created)
    assert created.plaintext not in str(created.token)
