from http import HTTPStatus

import pytest

from notifications.models import Notification, NotificationPreference
from tests.factories import OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"
SETTINGS = "/notifications/settings/"


def note(recipient, n: int, **fields) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind="access_tokens.created",
        key=f"token-{n}",
        title=f"New access token: Token {n}",
        body=f"Someone created <Token {n}>.",
        url="/settings/access-tokens/",
        **fields,
    )


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (INBOX, SETTINGS):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/sign-in/")


def test_inbox_shows_only_my_notifications_newest_first_escaped(owner_client, owner):
    note(owner, 1)
    note(owner, 2)
    note(OwnerFactory(username="other.owner"), 3)

    html = owner_client.get(INBOX).content.decode()

    assert html.index("Token 2") < html.index("Token 1")
    assert "Token 3" not in html
    assert "&lt;Token 1&gt;" in html
    assert html.count(">New</span>") == 2


def test_inbox_costs_the_same_queries_with_many_notifications(
    owner_client, owner, django_assert_max_num_queries
):
    note(owner, 0)
    with django_assert_max_num_queries(8) as few:
        owner_client.get(INBOX)
    for n in range(1, 40):
        note(owner, n)
    with django_assert_max_num_queries(len(few)):
        owner_client.get(INBOX)


def test_empty_inbox_says_what_will_appear(employee_client):
    html = employee_client.get(INBOX).content.decode()
    assert "No notifications yet." in html


def test_mark_all_read(owner_client, owner):
    note(owner, 1)
    note(owner, 2)

    response = owner_client.post("/notifications/read/", follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_owner_chooses_per_kind_how_to_be_told(owner_client, owner):
    page = owner_client.get(SETTINGS).content.decode()
    assert "An access token is created" in page
    assert "Provisioning from Entra ID has been failing for an hour" in page
    assert "An OAuth client secret expires soon" in page
    assert "olivia.owner@example.com" in page

    response = owner_client.post(
        SETTINGS,
        {
            "access_tokens.created": "in_app",
            "access_tokens.expiring": "email",
            "provisioning.failing": "off",
            "provisioning.silent": "email",
            "webhooks.endpoint_disabled": "in_app",
            "oauth_clients.secret_expiring": "in_app",
            "time_off.submitted": "email",
            "time_off.reminder": "in_app",
            "checklists.task_assigned": "email",
            "checklists.digest": "email",
            "checklists.entra_still_active": "email",
            "self_service.change_requested": "email",
        },
        follow=True,
    )

    assert "Your notification settings are saved." in response.content.decode()
    assert dict(NotificationPreference.objects.values_list("kind", "delivery")) == {
        "access_tokens.created": "in_app",
        "access_tokens.expiring": "email",
        "provisioning.failing": "off",
        "provisioning.silent": "email",
        "webhooks.endpoint_disabled": "in_app",
        "oauth_clients.secret_expiring": "in_app",
        "time_off.submitted": "email",
        "time_off.reminder": "in_app",
        "checklists.task_assigned": "email",
        "checklists.digest": "email",
        "checklists.entra_still_active": "email",
        "self_service.change_requested": "email",
    }
    form = owner_client.get(SETTINGS).context["form"]
    assert form["provisioning.failing"].value() == "off"
    assert form["access_tokens.created"].value() == "in_app"


def test_an_invalid_choice_is_shown_beside_its_field_and_nothing_is_saved(owner_client):
    response = owner_client.post(
        SETTINGS,
        {
            "access_tokens.created": "carrier-pigeon",
            "access_tokens.expiring": "email",
            "provisioning.failing": "email",
            "provisioning.silent": "email",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice. carrier-pigeon is not one of the available choices." in (
        response.content.decode()
    )
    assert not NotificationPreference.objects.exists()


def test_people_without_a_role_see_only_their_own_notifications(employee_client):
    page = employee_client.get(SETTINGS).content.decode()
    assert "Your time off is approved or denied" in page
    # Everyone with an employee record can be given checklist tasks.
    assert "Checklist tasks are assigned to you" in page
    assert "An access token is created" not in page
    assert "A leaver is still active in Entra ID" not in page


def test_accounts_without_a_role_or_record_have_no_notifications(client):
    client.force_login(UserFactory(username="no.record"))
    page = client.get(SETTINGS).content.decode()
    assert "There are no notifications for your role yet." in page


def test_the_navigation_links_notifications_for_people_who_can_receive_some(
    owner_client, client, employee_user
):
    nav_link = '<li><a href="/notifications/"'
    assert nav_link in owner_client.get(SETTINGS).content.decode()
    client.force_login(employee_user)
    # Employees are given checklist tasks: they are told about them.
    assert nav_link in client.get(SETTINGS).content.decode()
    client.force_login(UserFactory(username="no.record"))
    assert nav_link not in client.get(SETTINGS).content.decode()
