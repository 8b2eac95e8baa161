"""The owners' provisioning log page, the event page and the Home provisioning health panel."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.utils import timezone

from provisioning.models import Operation
from tests.factories import EmployeeFactory, ProvisioningEventFactory

pytestmark = pytest.mark.django_db

LOG = "/provisioning/"


def event_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-event="(\d+)"', response.content.decode())]


def test_owner_sees_events_newest_first_with_detail_changes_and_profile_link(owner_client):
    alice = EmployeeFactory(user_name="alice@contoso.com")
    older = ProvisioningEventFactory(
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        method="PATCH",
        path=f"/scim/v2/Users/{alice.public_id}",
        operation=Operation.DEACTIVATED,
        employee=alice,
        user_name="alice@contoso.com",
        changes={"active": [True, False]},
    )
    newer = ProvisioningEventFactory(
        method="POST",
        status=409,
        operation=Operation.REFUSED,
        scim_type="uniqueness",
        detail="userName: an employee with this user name already exists.",
    )

    response = owner_client.get(LOG)

    assert response.status_code == HTTPStatus.OK
    assert event_ids(response) == [newer.pk, older.pk]
    html = response.content.decode()
    assert "userName: an employee with this user name already exists." in html
    assert "<code>uniqueness</code>" in html
    assert (
        '<span class="field-name">Status</span>: <del>Active</del> &rarr; <ins>Inactive</ins>'
        in html
    )
    assert f'href="/employees/{alice.public_id}/"' in html
    assert 'href="/provisioning/"' in html  # navigation link for owners


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=failed", ["refused401", "refused400"]),
        ("status=succeeded", ["created", "queried"]),
        ("status=401", ["refused401"]),
        ("operation=created", ["created"]),
        ("user_name=ALICE@contoso.com", ["created"]),
        ("client_ip=203.0.113.9", ["refused401"]),
        ("since=2026-01-02&until=2026-01-02", ["refused400"]),
    ],
)
def test_filters(owner_client, query, expected, scim_token):
    day = dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
    events = {
        "created": ProvisioningEventFactory(
            operation=Operation.CREATED,
            status=201,
            user_name="alice@contoso.com",
            token=scim_token.token,
        ),
        "queried": ProvisioningEventFactory(occurred_at=timezone.now() - dt.timedelta(days=1)),
        "refused401": ProvisioningEventFactory(
            occurred_at=timezone.now() - dt.timedelta(days=2),
            status=401,
            operation=Operation.REFUSED,
            client_ip="203.0.113.9",
            token_name="",
        ),
        "refused400": ProvisioningEventFactory(
            occurred_at=day, status=400, operation=Operation.REFUSED, detail="bad"
        ),
    }
    response = owner_client.get(f"{LOG}?{query}")
    assert event_ids(response) == [events[name].pk for name in expected]


def test_token_filter(owner_client, scim_token):
    mine = ProvisioningEventFactory(token=scim_token.token)
    ProvisioningEventFactory()
    assert event_ids(owner_client.get(f"{LOG}?token={scim_token.token.pk}")) == [mine.pk]


def test_bad_filter_shows_the_error_beside_the_field(owner_client):
    ProvisioningEventFactory()
    response = owner_client.get(f"{LOG}?status=often&client_ip=nope")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Choose failed, succeeded, or type an HTTP status such as 401." in html
    assert "Enter a valid IPv4 or IPv6 address." in html
    assert len(event_ids(response)) == 1


def test_pages_follow_the_cursor_without_gaps_or_repeats(owner_client):
    now = timezone.now()
    # Some share a timestamp: the cursor breaks ties by id.
    created = [
        ProvisioningEventFactory(occurred_at=now - dt.timedelta(seconds=i // 3)) for i in range(120)
    ]
    expected = [e.pk for e in sorted(created, key=lambda e: (e.occurred_at, e.pk), reverse=True)]
    seen, url = [], LOG
    while url:
        response = owner_client.get(url)
        seen += event_ids(response)
        match = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
        url = (LOG + match[1].replace("&amp;", "&")) if match else None
    assert seen == expected


def test_summary_and_bursts_are_shown(owner_client):
    ProvisioningEventFactory(operation=Operation.CREATED, status=201)
    for _ in range(6):
        ProvisioningEventFactory(
            status=401,
            operation=Operation.REFUSED,
            client_ip="203.0.113.9",
            detail="A valid access token with the Provisioning scope is required.",
        )
    html = owner_client.get(LOG).content.decode()
    assert "<dt>Requests</dt><dd>7</dd>" in html
    assert "<dt>Created</dt><dd>1</dd>" in html
    assert (
        "A valid access token with the Provisioning scope is required. "
        '<span class="muted">(6)</span>' in html
    )
    assert ">203.0.113.9</a>: 6 refused" in html


def test_event_page_shows_everything(owner_client):
    alice = EmployeeFactory(user_name="alice@contoso.com")
    event = ProvisioningEventFactory(
        method="PATCH",
        employee=alice,
        user_name="alice@contoso.com",
        operation=Operation.UPDATED,
        changes={"title": ["Analyst", "Engineer"]},
        duration_ms=12,
    )
    response = owner_client.get(f"{LOG}{event.pk}/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert (
        '<span class="field-name">Title</span>: <del>Analyst</del> &rarr; <ins>Engineer</ins>'
        in html
    )
    assert "12 ms" in html
    assert owner_client.get(f"{LOG}999999/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("path", [LOG, f"{LOG}1/"])
def test_hr_admins_and_employees_are_refused_anonymous_signs_in(
    path, client, hr_admin_client, employee_user
):
    ProvisioningEventFactory(pk=1)
    assert hr_admin_client.get(path).status_code == HTTPStatus.FORBIDDEN
    hr_admin_client.logout()
    hr_admin_client.force_login(employee_user)
    assert hr_admin_client.get(path).status_code == HTTPStatus.FORBIDDEN
    hr_admin_client.logout()
    response = hr_admin_client.get(path)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("size", [5, 300])
def test_log_queries_do_not_grow(owner_client, size, django_assert_max_num_queries):
    employees = EmployeeFactory.create_batch(5)
    ProvisioningEventFactory.create_batch(
        size, employee=employees[0], operation=Operation.UPDATED, changes={"title": ["a", "b"]}
    )
    ProvisioningEventFactory.create_batch(size // 5 + 1, status=401, operation=Operation.REFUSED)
    # 13: the summary reads the attributes not kept for both of its periods.
    with django_assert_max_num_queries(13):
        response = owner_client.get(f"{LOG}?status=succeeded")
    assert len(event_ids(response)) == min(size, 50)
    with django_assert_max_num_queries(13):
        owner_client.get(f"{LOG}?user_name=x@contoso.com&token=&since=2026-01-01")


def test_home_health_panel_for_owner_links_to_failures(owner_client):
    ProvisioningEventFactory(operation=Operation.CREATED, status=201)
    ProvisioningEventFactory(status=400, operation=Operation.REFUSED)
    ProvisioningEventFactory(
        status=500, operation=Operation.REFUSED, occurred_at=timezone.now() - dt.timedelta(days=2)
    )
    html = owner_client.get("/").content.decode()
    assert "Provisioning health" in html
    assert '<a href="/provisioning/?status=failed">1</a>' in html
    assert "Never" not in html


def test_home_health_panel_for_hr_admin_without_link(hr_admin_client):
    ProvisioningEventFactory(status=400, operation=Operation.REFUSED)
    html = hr_admin_client.get("/").content.decode()
    assert "Provisioning health" in html
    assert "<dt>Last successful sync</dt>\n    <dd>Never</dd>" in html
    assert "/provisioning/" not in html
    assert "Microsoft Entra ID sent 1 request that Alexis refused" in html
    assert "ask an owner to check it" in html


def test_log_shows_labels_and_values_people_read(owner_client):
    ProvisioningEventFactory(
        method="PATCH",
        operation=Operation.UPDATED,
        changes={
            "display_name": ["Ada L.", "Ada Lovelace"],
            "work_phone": [None, "+46701234567"],
            "employment_type": ["", "full_time"],
            "members_added": {"count": 3, "user_names": ["ada@contoso.com", "alan@contoso.com"]},
        },
    )

    html = owner_client.get(LOG).content.decode()

    assert '<span class="field-name">Display name</span>: <del>Ada L.</del>' in html
    assert '<span class="field-name">Work phone</span>: <ins>+46701234567</ins>' in html
    assert '<span class="field-name">Employment type</span>: <ins>Full time</ins>' in html
    assert (
        '<span class="field-name">Members added</span>: '
        "<ins>3: ada@contoso.com, alan@contoso.com, …</ins>" in html
    )
    for raw in ("display_name", "work_phone", "{'count'", "full_time"):
        assert raw not in html


def test_a_request_with_a_revoked_token_names_the_token(client, owner, owner_client):
    from access_tokens.models import Scope
    from access_tokens.services import access_token_create, access_token_revoke
    from provisioning.models import ProvisioningEvent

    created = access_token_create(name="Old Entra token", scopes=[Scope.SCIM], created_by=owner)
    access_token_revoke(token=created.token, revoked_by=owner)
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {created.plaintext}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED

    event = ProvisioningEvent.objects.get()
    assert (event.token_id, event.token_name, event.status) == (
        created.token.pk,
        "Old Entra token",
        401,
    )
    assert "revoked token «Old Entra token»" in owner_client.get(LOG).content.decode()
    client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer alx_not-a-real-token")
    assert ProvisioningEvent.objects.latest("id").token_id is None
