import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from access_tokens.authentication import check_request
from access_tokens.models import AccessToken, AccessTokenEvent, Scope
from access_tokens.services import access_token_create, access_token_revoke
from accounts.roles import OWNER
from tests.factories import OwnerFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/settings/access-tokens/"
CREATE_URL = "/settings/access-tokens/new/"
TOKEN_IN_PAGE = re.compile(r"alx_[0-9A-Za-z]{60}")
VALID = {
    "name": "Entra ID provisioning",
    "description": "Secret Token for the enterprise app",
    "scopes": ["scim"],
    "expires_in_days": "365",
}


def revoke_url(token: AccessToken) -> str:
    return f"/settings/access-tokens/{token.pk}/revoke/"


def field_errors(html: str, field: str) -> list[str]:
    """Return the error texts shown inside the form field block that holds id_<field>."""
    for match in re.finditer(r'<(div|fieldset) class="field">.*?</\1>', html, re.S):
        block = match.group(0)
        if f'id="id_{field}' in block:
            return re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', block, re.S)
    raise AssertionError(f"no field block for {field}")


def bearer_request(rf, raw):
    return rf.get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")


# Permissions


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL, "revoke"])
def test_anonymous_visitor_is_sent_to_sign_in(client, scim_token, method, url):
    url = revoke_url(scim_token.token) if url == "revoke" else url
    response = getattr(client, method)(url, VALID if method == "post" else None)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/accounts/sign-in/?next={url}"
    assert AccessToken.objects.count() == 1
    assert AccessToken.objects.get().revoked_at is None


@pytest.mark.parametrize("who", ["hr_admin_client", "employee_client"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL, "revoke"])
def test_hr_admins_and_employees_get_403(request, scim_token, who, method, url):
    client = request.getfixturevalue(who)
    url = revoke_url(scim_token.token) if url == "revoke" else url

    response = getattr(client, method)(url, VALID if method == "post" else None)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AccessToken.objects.count() == 1
    assert AccessToken.objects.get().revoked_at is None
    assert scim_token.token.masked.encode() not in response.content


def test_owner_demoted_mid_session_gets_403(owner_client, owner):
    owner.groups.remove(Group.objects.get(name=OWNER))

    assert owner_client.get(LIST_URL).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(("who", "shown"), [("owner", True), ("hr_admin", False)])
def test_settings_menu_links_the_page_for_owners_only(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))

    assert (b'href="/settings/access-tokens/"' in client.get("/").content) is shown


# List


def test_list_shows_every_token_newest_first_with_its_details(owner_client, owner):
    other = OwnerFactory(username="oscar.owner", first_name="Oscar", last_name="Owner")
    old = access_token_create(
        name="Old script", scopes=[Scope.API_READ], created_by=other, expires_in_days=30
    )
    AccessToken.objects.filter(pk=old.token.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40),
        expires_at=timezone.now() - dt.timedelta(days=10),
    )
    revoked = access_token_create(name="Retired", scopes=[Scope.SCIM], created_by=owner)
    access_token_revoke(token=revoked.token, revoked_by=owner)
    used = access_token_create(
        name="Entra ID",
        description="Provisioning",
        scopes=[Scope.SCIM, Scope.API_WRITE],
        created_by=owner,
        expires_in_days=None,
    )
    AccessToken.objects.filter(pk=used.token.pk).update(
        last_used_at=timezone.now(), last_used_ip="203.0.113.9"
    )

    response = owner_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    rows = re.findall(r"<tr id=\"token-\d+\" data-token-row>(.*?)</tr>", html, re.S)
    assert [re.search(r"<strong>(.*?)</strong>", row).group(1) for row in rows] == [
        "Entra ID",
        "Retired",
        "Old script",
    ]
    entra, retired, old_row = rows
    assert "Provisioning" in entra
    assert "Provisioning API (SCIM), Public API write" in entra
    assert f"<code>{used.token.prefix}…{used.plaintext[-4:]}</code>" in entra
    assert f"by {owner.get_full_name()}" in entra
    assert "Never</td>" in entra  # expires
    assert "from 203.0.113.9" in entra
    assert '<span class="badge active">Active</span>' in entra
    assert 'aria-label="Revoke Entra ID"' in entra
    assert '<span class="badge revoked">Revoked</span>' in retired
    assert "Revoke Retired" not in retired
    assert '<span class="badge expired">Expired</span>' in old_row
    assert "by Oscar Owner" in old_row
    assert "Public API read" in old_row
    assert "Never used" in old_row
    assert not TOKEN_IN_PAGE.search(html)


def test_list_shows_why_a_token_stopped_working(owner_client):
    demoted = OwnerFactory(username="dora.demoted")
    gone = OwnerFactory(username="gary.gone")
    access_token_create(name="Dora's token", scopes=[Scope.SCIM], created_by=demoted)
    access_token_create(name="Gary's token", scopes=[Scope.SCIM], created_by=gone)
    demoted.groups.clear()
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    html = owner_client.get(LIST_URL).content.decode()

    rows = dict(
        (re.search(r"<strong>(.*?)</strong>", row).group(1), row)
        for row in re.findall(r"data-token-row>(.*?)</tr>", html, re.S)
    )
    assert '<span class="badge inactive">Inactive</span>' in rows["Dora&#x27;s token"]
    assert "Its creator no longer holds the Owner role." in rows["Dora&#x27;s token"]
    assert "Its creator&#x27;s account is deactivated." in rows["Gary&#x27;s token"]


def test_list_shows_the_audit_trail(owner_client, owner):
    created = access_token_create(
        name="Audited", scopes=[Scope.SCIM], created_by=owner, ip_address="192.0.2.10"
    )
    access_token_revoke(token=created.token, revoked_by=owner, ip_address="192.0.2.11")

    html = owner_client.get(LIST_URL).content.decode()

    events = re.findall(r"<tr data-event-row>(.*?)</tr>", html, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", event, re.S) for event in events]
    masked = f"Audited <code>{created.token.masked}</code>"
    name = owner.get_full_name()
    assert [cell[1:] for cell in cells] == [
        ["Revoked", masked, name, "192.0.2.11"],
        ["Created", masked, name, "192.0.2.10"],
    ]


def test_audit_trail_on_the_page_shows_the_latest_events(owner_client, owner, monkeypatch):
    monkeypatch.setattr("access_tokens.views.EVENTS_SHOWN", 3)
    for number in range(3):
        access_token_create(name=f"Token {number}", scopes=[Scope.SCIM], created_by=owner)
    html = owner_client.get(LIST_URL).content.decode()
    assert html.count("<tr data-event-row>") == 3
    assert "The latest 3 events" not in html

    access_token_create(name="Token 3", scopes=[Scope.SCIM], created_by=owner)
    html = owner_client.get(LIST_URL).content.decode()

    events = re.findall(r"<tr data-event-row>(.*?)</tr>", html, re.S)
    assert [re.search(r"Token \d", event).group(0) for event in events] == [
        "Token 3",
        "Token 2",
        "Token 1",
    ]
    assert "The latest 3 events; older ones are kept" in html


@pytest.mark.parametrize("tokens", [2, 30])
def test_list_costs_the_same_queries_whatever_the_number_of_tokens(
    owner_client, owner, tokens, django_assert_max_num_queries
):
    other = OwnerFactory(username="another.owner")
    for number in range(tokens):
        created = access_token_create(
            name=f"Token {number}", scopes=[Scope.SCIM], created_by=other if number % 2 else owner
        )
        if number % 3 == 0:
            access_token_revoke(token=created.token, revoked_by=owner)

    with django_assert_max_num_queries(6):
        response = owner_client.get(LIST_URL)

    assert response.content.decode().count("data-token-row") == tokens


def test_pages_have_no_inline_script_and_send_the_csp(owner_client, owner):
    response = owner_client.post(CREATE_URL, VALID)
    html = response.content.decode()

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/js/alexis.js" defer>',
        '<script src="/static/js/access-tokens.js" defer>',
    ]
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


# Create


def test_create_form_defaults_to_365_days(owner_client):
    html = owner_client.get(CREATE_URL).content.decode()

    assert re.search(r'<input type="radio" name="expires_in_days" value="365"[^>]*checked', html)
    for value in ("30", "90", "never"):
        assert f'name="expires_in_days" value="{value}"' in html
    for scope in ("scim", "api:read", "api:write"):
        assert f'name="scopes" value="{scope}"' in html


def test_create_shows_the_token_once_in_an_uncached_response(owner_client, owner, rf):
    response = owner_client.post(CREATE_URL, VALID, REMOTE_ADDR="192.0.2.20")

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    shown = TOKEN_IN_PAGE.findall(html)
    assert len(shown) == 1
    plaintext = shown[0]
    assert re.search(r'<dialog id="token-created"[^>]*\sopen[\s>]', html)
    assert f'value="{plaintext}"' in html
    assert "This token will not be shown again." in html
    assert 'data-list-url="/settings/access-tokens/"' in html

    token = AccessToken.objects.get()
    assert (token.name, token.description, token.scopes, token.created_by) == (
        VALID["name"],
        VALID["description"],
        ["scim"],
        owner,
    )
    assert token.prefix == plaintext[:14]
    assert token.last_four == plaintext[-4:]
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(
        minutes=1
    )
    event = AccessTokenEvent.objects.get()
    assert (event.token, event.action, event.actor, event.ip_address) == (
        token,
        "created",
        owner,
        "192.0.2.20",
    )
    assert check_request(bearer_request(rf, plaintext), Scope.SCIM).ok


@pytest.mark.parametrize(
    ("choice", "days"), [("30", 30), ("90", 90), ("365", 365), ("never", None)]
)
def test_create_sets_the_chosen_expiry(owner_client, choice, days):
    owner_client.post(CREATE_URL, {**VALID, "expires_in_days": choice})

    expires_at = AccessToken.objects.get().expires_at
    if days is None:
        assert expires_at is None
    else:
        expected = timezone.now() + dt.timedelta(days=days)
        assert abs(expires_at - expected) < dt.timedelta(minutes=1)


def test_create_with_several_scopes(owner_client):
    owner_client.post(CREATE_URL, {**VALID, "scopes": ["api:write", "scim", "api:read"]})

    assert AccessToken.objects.get().scopes == ["api:read", "api:write", "scim"]


def test_reload_or_revisit_never_shows_the_token_again(owner_client):
    created = owner_client.post(CREATE_URL, VALID)
    plaintext = TOKEN_IN_PAGE.search(created.content.decode()).group(0)

    for url in (LIST_URL, CREATE_URL, revoke_url(AccessToken.objects.get())):
        html = owner_client.get(url).content.decode()
        assert plaintext not in html
        assert not TOKEN_IN_PAGE.search(html)
        assert "token-created" not in html
    assert AccessToken.objects.count() == 1


def test_the_token_is_kept_out_of_the_session_and_messages(owner_client):
    response = owner_client.post(CREATE_URL, VALID)
    plaintext = TOKEN_IN_PAGE.search(response.content.decode()).group(0)

    session = owner_client.session
    assert all(plaintext not in str(value) for value in session.values())
    assert plaintext[14:58] not in str(dict(session.items()))
    assert "messages" not in response.cookies


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name."),
        ({"name": "   "}, "name", "Enter a name."),
        ({"name": "x" * 101}, "name", "Ensure this value has at most 100 characters (it has 101)."),
        ({"description": "d" * 501}, "description", "Ensure this value has at most 500"),
        ({"scopes": []}, "scopes", "Choose at least one scope."),
        ({"scopes": ["admin"]}, "scopes", "Select a valid choice. admin is not one of"),
        ({"expires_in_days": "7"}, "expires_in_days", "Select a valid choice. 7 is not one of"),
        ({"expires_in_days": ""}, "expires_in_days", "Choose when the token expires."),
    ],
)
def test_errors_appear_beside_the_field_and_nothing_is_created(owner_client, data, field, message):
    response = owner_client.post(CREATE_URL, {**VALID, **data})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    errors = field_errors(html, field)
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert not TOKEN_IN_PAGE.search(html)
    assert AccessToken.objects.count() == 0
    assert AccessTokenEvent.objects.count() == 0


def test_name_must_be_unique_among_active_tokens(owner_client, owner):
    access_token_create(name="Entra ID provisioning", scopes=[Scope.SCIM], created_by=owner)

    response = owner_client.post(CREATE_URL, {**VALID, "name": "entra id PROVISIONING"})

    assert field_errors(response.content.decode(), "name") == [
        "An active token with this name already exists."
    ]
    assert AccessToken.objects.count() == 1
    assert 'value="entra id PROVISIONING"' in response.content.decode()


@pytest.mark.parametrize("ended", ["revoked", "expired"])
def test_name_of_a_revoked_or_expired_token_can_be_reused(owner_client, owner, ended):
    old = access_token_create(name=VALID["name"], scopes=[Scope.SCIM], created_by=owner)
    if ended == "revoked":
        access_token_revoke(token=old.token, revoked_by=owner)
    else:
        AccessToken.objects.filter(pk=old.token.pk).update(expires_at=timezone.now())

    response = owner_client.post(CREATE_URL, VALID)

    assert TOKEN_IN_PAGE.search(response.content.decode())
    assert AccessToken.objects.filter(name=VALID["name"]).count() == 2


# Revoke


def test_revoke_asks_for_confirmation_first(owner_client, scim_token):
    response = owner_client.get(revoke_url(scim_token.token))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Revoke “Entra ID”?" in html
    assert "Revoking cannot be undone." in html
    assert scim_token.token.masked in html
    assert '<form method="post"' in html
    assert AccessToken.objects.get().revoked_at is None


def test_revoke_refuses_the_next_request(owner_client, owner, scim_token, rf):
    request = bearer_request(rf, scim_token.plaintext)
    assert check_request(request, Scope.SCIM).ok

    response = owner_client.post(revoke_url(scim_token.token), REMOTE_ADDR="192.0.2.30")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == LIST_URL
    token = AccessToken.objects.get()
    assert token.revoked_by == owner
    assert token.revoked_at is not None
    assert check_request(request, Scope.SCIM).status == HTTPStatus.UNAUTHORIZED
    event = AccessTokenEvent.objects.get(action="revoked")
    assert (event.token, event.actor, event.ip_address) == (token, owner, "192.0.2.30")
    html = owner_client.get(LIST_URL).content.decode()
    assert "The token “Entra ID” is revoked." in html
    assert '<span class="badge revoked">Revoked</span>' in html


def test_revoking_twice_changes_nothing(owner_client, owner, scim_token):
    owner_client.post(revoke_url(scim_token.token))
    first = AccessToken.objects.get().revoked_at

    response = owner_client.post(revoke_url(scim_token.token), follow=True)

    assert AccessToken.objects.get().revoked_at == first
    assert AccessTokenEvent.objects.filter(action="revoked").count() == 1
    assert "The token “Entra ID” was already revoked." in response.content.decode()
    assert (
        "This token was revoked on"
        in owner_client.get(revoke_url(scim_token.token)).content.decode()
    )


def test_revoking_an_unknown_token_is_404(owner_client):
    assert owner_client.get("/settings/access-tokens/999/revoke/").status_code == 404
    assert owner_client.post("/settings/access-tokens/999/revoke/").status_code == 404


# CSRF


@pytest.fixture
def csrf_client(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def csrf_token_from(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_create_without_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(CREATE_URL, VALID)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AccessToken.objects.count() == 0


def test_create_with_csrf_token_works(csrf_client):
    token = csrf_token_from(csrf_client, CREATE_URL)

    response = csrf_client.post(CREATE_URL, {**VALID, "csrfmiddlewaretoken": token})

    assert response.status_code == HTTPStatus.OK
    assert AccessToken.objects.count() == 1


def test_revoke_without_csrf_token_is_refused(csrf_client, scim_token):
    response = csrf_client.post(revoke_url(scim_token.token))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AccessToken.objects.get().revoked_at is None


def test_revoke_with_csrf_token_works(csrf_client, scim_token):
    token = csrf_token_from(csrf_client, revoke_url(scim_token.token))

    response = csrf_client.post(revoke_url(scim_token.token), {"csrfmiddlewaretoken": token})

    assert response.status_code == HTTPStatus.FOUND
    assert AccessToken.objects.get().revoked_at is not None


def test_resubmitting_the_form_never_shows_or_creates_a_second_token(owner_client):
    """Without JavaScript a reload re-posts the form: the name is taken, nothing is shown."""
    first = owner_client.post(CREATE_URL, VALID)
    assert TOKEN_IN_PAGE.search(first.content.decode())

    again = owner_client.post(CREATE_URL, VALID)

    html = again.content.decode()
    assert not TOKEN_IN_PAGE.search(html)
    assert field_errors(html, "name") == ["An active token with this name already exists."]
    assert AccessToken.objects.count() == 1
