"""create_oauth_client prints client_id and client_secret once; prune_oauth_records tidies."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from access_tokens.models import AccessToken
from oauth_clients.models import ClientCredential, OAuthClient, UsedAssertion
from tests.oauth_clients.conftest import request_token, token_with_secret

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("create_oauth_client", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_prints_two_lines_and_the_secret_works(owner):
    stdout, stderr = run(
        "--name", "Entra ID", "--scopes", "scim,api:read", "--owner", "olivia.owner"
    )

    match = re.fullmatch(
        r"client_id: (alxc_[0-9A-Za-z]{20})\nclient_secret: (alxcs_[0-9A-Za-z]{60})\n", stdout
    )
    assert match
    client_id, secret = match.groups()
    client = OAuthClient.objects.get()
    assert (client.client_id, client.scopes, client.created_by) == (
        client_id,
        ["api:read", "scim"],
        owner,
    )
    assert secret not in stderr
    credential = ClientCredential.objects.get()
    assert f"({credential.masked})" in stderr
    assert abs(credential.expires_at - (timezone.now() + dt.timedelta(days=730))) < dt.timedelta(
        minutes=1
    )
    response = request_token(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert response.json()["scope"] == "api:read scim"


def test_the_secret_expiry_can_be_chosen(owner):
    run("--name=Scripts", "--scopes=api:read", "--secret-expires-years=3", "--owner=olivia.owner")

    credential = ClientCredential.objects.get()
    assert abs(credential.expires_at - (timezone.now() + dt.timedelta(days=1095))) < dt.timedelta(
        minutes=1
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scopes", "scim,admin", "--owner", "olivia.owner"], "Unknown scope admin"),
        (["--scopes", "scim", "--owner", "nobody"], "No user with the user name 'nobody'."),
    ],
)
def test_bad_arguments_are_refused(owner, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("--name", "Entra ID", *args)

    assert not OAuthClient.objects.exists()


def test_a_non_owner_is_refused(hr_admin):
    with pytest.raises(
        CommandError, match=re.escape("--owner: Only owners can create OAuth clients.")
    ):
        run("--name", "Entra ID", "--scopes", "scim", "--owner", "harry.hradmin")


def test_prune_deletes_old_issued_tokens_and_expired_jtis(entra_client, settings):
    settings.PROVISIONING_LOG_RETENTION_DAYS = 90
    token_with_secret(entra_client)
    token_with_secret(entra_client)
    old, recent = AccessToken.objects.order_by("id")
    AccessToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=91))
    UsedAssertion.objects.create(
        credential=entra_client.credential, jti="gone", expires_at=timezone.now()
    )
    UsedAssertion.objects.create(
        credential=entra_client.credential,
        jti="kept",
        expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    out = io.StringIO()

    call_command("prune_oauth_records", stdout=out)

    assert out.getvalue() == "Deleted 1 expired issued tokens and 1 assertion ids.\n"
    assert list(AccessToken.objects.all()) == [recent]
    assert list(UsedAssertion.objects.values_list("jti", flat=True)) == ["kept"]
