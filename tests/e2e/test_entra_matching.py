"""An owner checks Entra's users before switching provisioning on, fixes the would-be
duplicates in a real browser, and Entra's first provisioning cycle then creates none."""

import json
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from audit.models import Channel
from employees.models import Employee, EmployeeChange
from tests.factories import EmployeeFactory, OwnerFactory

pytestmark = pytest.mark.django_db(transaction=True)

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
# Entra's users: (userPrincipalName, mail, given name, family name)
ENTRA_USERS = [
    ("ada@contoso.com", "ada@contoso.com", "Ada", "Lovelace"),
    ("grace@contoso.com", "grace@contoso.com", "Grace", "Hopper"),
    ("alan.turing@contoso.com", "alan@contoso.com", "Alan", "Turing"),
    ("katherine.johnson@contoso.com", "kj@contoso.com", "Katherine", "Johnson"),
    ("edsger@contoso.com", "edsger@contoso.com", "Edsger", "Dijkstra"),
    ("barbara@contoso.com", "barbara@contoso.com", "Barbara", "Liskov"),
]


def download_users_csv(path) -> None:
    """The file Entra's "Download users" writes (its first columns, employeeId added)."""
    lines = ["userPrincipalName,displayName,surname,mail,givenName,id,accountEnabled,employeeId"]
    for n, (upn, mail, given, family) in enumerate(ENTRA_USERS):
        lines.append(f"{upn},{given} {family},{family},{mail},{given},oid-{n},True,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scim(base_url, token, method, path, body=None):
    request = urllib.request.Request(  # noqa: S310 - the test server's http URL
        base_url + "/scim/v2" + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test server
        text = response.read()
        return response.status, json.loads(text) if text else None


def entra_first_cycle(base_url, token) -> dict[str, int]:
    """Replay what Entra does for each user in scope: look the user name up, then update the
    employee it found or create a new one."""
    outcome = {"matched": 0, "created": 0}
    for n, (upn, mail, given, family) in enumerate(ENTRA_USERS):
        query = urllib.parse.quote(f'userName eq "{upn}"')
        _, found = scim(base_url, token, "GET", f"/Users?filter={query}")
        if found["totalResults"] == 1:
            user_id = found["Resources"][0]["id"]
            status, _ = scim(
                base_url,
                token,
                "PATCH",
                f"/Users/{user_id}",
                {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [
                        {"op": "Replace", "path": "externalId", "value": f"oid-{n}"},
                        {"op": "Replace", "path": "displayName", "value": f"{given} {family}"},
                    ],
                },
            )
            assert status in (200, 204)
            outcome["matched"] += 1
        else:
            status, _ = scim(
                base_url,
                token,
                "POST",
                "/Users",
                {
                    "schemas": [CORE],
                    "externalId": f"oid-{n}",
                    "userName": upn,
                    "active": True,
                    "emails": [{"primary": True, "type": "work", "value": mail}],
                    "name": {"givenName": given, "familyName": family},
                },
            )
            assert status == 201
            outcome["created"] += 1
    return outcome


def test_owner_fixes_three_would_be_duplicates_and_the_first_cycle_creates_none(
    page, sign_in, screenshot, tmp_path, live_server
):
    owner = OwnerFactory(username="olga.owner", first_name="Olga", last_name="Owner")
    EmployeeFactory(
        user_name="ada@contoso.com",
        work_email="ada@contoso.com",
        given_name="Ada",
        family_name="Lovelace",
    )
    EmployeeFactory(
        user_name="GRACE@contoso.com",
        work_email="grace@contoso.com",
        given_name="Grace",
        family_name="Hopper",
    )
    # HR loaded these three from a spreadsheet under other user names.
    EmployeeFactory(
        user_name="aturing@contoso.com",
        work_email="alan@contoso.com",
        given_name="Alan",
        family_name="Turing",
    )
    EmployeeFactory(
        user_name="kjohnson@contoso.com",
        work_email="kj@contoso.com",
        given_name="Katherine",
        family_name="Johnson",
    )
    EmployeeFactory(
        user_name="e.dijkstra@contoso.com",
        work_email="edsger@contoso.com",
        given_name="Edsger",
        family_name="Dijkstra",
    )
    EmployeeFactory(user_name="hr.only@contoso.com", given_name="Hattie", family_name="Only")
    users_file = tmp_path / "users.csv"
    download_users_csv(users_file)

    sign_in("olga.owner")
    page.locator("summary", has_text="Settings").click()
    page.get_by_role("link", name="Entra matching preview").click()
    page.get_by_label("Entra's user list (CSV)").set_input_files(str(users_file))
    page.get_by_role("button", name="Show the matches").click()

    expect(page.locator("[data-count=risky]")).to_have_text("4")
    expect(page.locator("[data-count=matched]")).to_have_text("1")
    expect(page.locator("[data-count=created]")).to_have_text("1")
    expect(page.locator("[data-count=hr-only]")).to_have_text("1")
    expect(page.get_by_role("heading", name="Will be created as a duplicate")).to_be_visible()
    expect(page.get_by_role("heading", name="Letter case differs")).to_be_visible()
    screenshot("entra-matching-report")
    for name, upn in (
        ("Alan Turing", "alan.turing@contoso.com"),
        ("Katherine Johnson", "katherine.johnson@contoso.com"),
        ("Edsger Dijkstra", "edsger@contoso.com"),
    ):
        page.get_by_role("button", name=f"Set the user name of {name} to {upn}").click()
        expect(page.get_by_text(f"to “{upn}”.")).to_be_visible()
    expect(page.locator("[data-count=risky]")).to_have_text("1")
    expect(page.locator("[data-count=matched]")).to_have_text("4")
    assert (
        EmployeeChange.objects.filter(
            channel=Channel.WEB, actor_user=owner, changes__has_key="user_name"
        ).count()
        == 3
    )

    token = access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)
    outcome = entra_first_cycle(live_server.url, token.plaintext)
    assert outcome == {"matched": 5, "created": 1}
    assert Employee.objects.count() == 7
    for upn, mail, _given, _family in ENTRA_USERS:
        assert Employee.objects.filter(work_email__iexact=mail).count() == 1, upn
    assert Employee.objects.get(user_name="alan.turing@contoso.com").external_id == "oid-2"

    # Run again after go-live: the HR-only employee is still shown as untouched by Entra.
    page.goto(page.url)
    expect(page.locator("[data-count=hr-only]")).to_have_text("1")
    expect(page.locator("[data-count=no-longer-sent]")).to_have_text("0")
