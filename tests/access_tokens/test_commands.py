import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from access_tokens.authentication import check_request
from access_tokens.models import AccessToken, AccessTokenEvent, Scope
from access_tokens.services import access_token_create

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("create_access_token", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def authenticates(raw: str, scope: str) -> int:
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return check_request(request, scope).status


def test_prints_the_token_once_and_it_works(owner):
    stdout, stderr = run("--name", "Entra ID", "--scopes", "scim", "--owner", "olivia.owner")

    assert re.fullmatch(r"alx_[0-9A-Za-z]{60}\n", stdout)
    plaintext = stdout.strip()
    token = AccessToken.objects.get()
    assert (token.name, token.scopes, token.created_by) == ("Entra ID", ["scim"], owner)
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(
        minutes=1
    )
    assert plaintext not in stderr
    assert f"Created access token 'Entra ID' ({token.masked})" in stderr
    assert authenticates(plaintext, Scope.SCIM) == 200
    assert authenticates(plaintext, Scope.API_READ) == 403
    event = AccessTokenEvent.objects.get()
    assert (event.action, event.actor, event.ip_address) == ("created", owner, None)


def test_several_scopes_and_a_chosen_expiry(owner):
    stdout, _ = run(
        "--name=Scripts",
        "--scopes=api:read, api:write",
        "--expires-days=30",
        "--description=Nightly export",
        "--owner=olivia.owner",
    )

    token = AccessToken.objects.get()
    assert (token.scopes, token.description) == (["api:read", "api:write"], "Nightly export")
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(
        minutes=1
    )
    assert authenticates(stdout.strip(), Scope.API_WRITE) == 200


def test_never_expires(owner):
    run("--name", "Forever", "--scopes", "scim", "--never-expires", "--owner", "olivia.owner")

    assert AccessToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "nobody"], "No user with the user name 'nobody'."),
        (["--owner", "harry.hradmin"], "--owner: Only owners can create access tokens."),
        (["--scopes", "scim,admin"], "Unknown scope admin; choose from scim, api:read, api:write."),
        (["--scopes", " , "], "--scopes: Choose at least one scope."),
        (["--name", " "], "--name: Enter a name."),
        (["--name", "Taken"], "--name: An active token with this name already exists."),
        (["--expires-days", "0"], "--expires-days: The expiry must be between 1 and 3650 days"),
        (["--expires-days", "99999999"], "--expires-days: The expiry must be between 1 and 3650"),
        (["--expires-days", "soon"], "Error: argument --expires-days: invalid int value: 'soon'"),
        (
            ["--expires-days", "30", "--never-expires"],
            "Error: argument --never-expires: not allowed with argument --expires-days",
        ),
    ],
)
def test_errors_are_reported_and_nothing_is_created(owner, hr_admin, args, message):
    access_token_create(name="Taken", scopes=[Scope.SCIM], created_by=owner)
    defaults = {"--name": "New", "--scopes": "scim", "--owner": "olivia.owner"}
    given = dict.fromkeys(arg for arg in args if arg.startswith("--"))
    command = [part for key, value in defaults.items() if key not in given for part in (key, value)]

    with pytest.raises(CommandError) as error:
        run(*command, *args)

    assert str(error.value).startswith(message)
    assert AccessToken.objects.count() == 1


def test_required_options(owner):
    with pytest.raises(CommandError, match="the following arguments are required: --name"):
        run("--scopes", "scim", "--owner", "olivia.owner")
    assert AccessToken.objects.count() == 0
