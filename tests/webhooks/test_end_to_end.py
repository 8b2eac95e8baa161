"""Done means: a registered webhook gets a signed employee.updated when Entra PATCHes a title."""

import json
from http import HTTPStatus

import pytest
from standardwebhooks import Webhook

from tests.factories import EmployeeFactory, TeamFactory
from tests.scim_api.conftest import PATCH_OP, Scim
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.selectors import webhook_subscribed_event_types, webhook_subscriptions_forget
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def _register(receiver, owner, events):
    return webhook_endpoint_create(url=receiver.url, events=events, created_by=owner)


def test_entra_patching_a_title_delivers_a_signed_employee_updated(
    scim, receiver, owner, django_capture_on_commit_callbacks
):
    created = _register(receiver, owner, ["employee.updated"])
    employee = EmployeeFactory(user_name="ada@contoso.com", title="Engineer")

    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch_ops(
            employee.public_id, {"op": "Replace", "path": "title", "value": "Senior Engineer"}
        )

    assert response.status_code == HTTPStatus.OK
    assert len(receiver.received) == 1
    request = receiver.received[0]
    # The receiver checks the signature with the Standard Webhooks library and the secret
    # exactly as the owner was shown it.
    payload = Webhook(created.secret).verify(request.body, request.headers)
    assert payload["type"] == "employee.updated"
    assert payload["id"] == request.headers["webhook-id"]
    assert payload["id"].startswith("msg_")
    assert payload["timestamp"].endswith("Z")
    assert payload["data"]["changes"] == {"title": {"old": "Engineer", "new": "Senior Engineer"}}
    assert payload["data"]["channel"] == "scim"
    resource = payload["data"]["object"]
    assert (resource["id"], resource["user_name"], resource["title"], resource["deleted"]) == (
        str(employee.public_id),
        "ada@contoso.com",
        "Senior Engineer",
        False,
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.event_id) == (
        DeliveryStatus.SUCCEEDED,
        1,
        payload["id"],
    )
    attempt = WebhookAttempt.objects.get()
    assert (attempt.succeeded, attempt.response_status) == (True, 200)


def test_a_tampered_body_fails_verification(
    scim, receiver, owner, django_capture_on_commit_callbacks
):
    created = _register(receiver, owner, ["employee.updated"])
    employee = EmployeeFactory(title="Engineer")
    with django_capture_on_commit_callbacks(execute=True):
        scim.patch_ops(employee.public_id, {"op": "Replace", "path": "title", "value": "CTO"})

    request = receiver.received[0]
    tampered = request.body.replace(b"CTO", b"CEO")
    with pytest.raises(Exception, match="signature"):
        Webhook(created.secret).verify(tampered, request.headers)


def test_only_subscribed_events_are_sent(scim, receiver, owner, django_capture_on_commit_callbacks):
    _register(receiver, owner, ["employee.deactivated"])
    employee = EmployeeFactory(title="Engineer", active=True)

    with django_capture_on_commit_callbacks(execute=True):
        scim.patch_ops(employee.public_id, {"op": "Replace", "path": "title", "value": "CTO"})
        scim.patch_ops(employee.public_id, {"op": "Replace", "path": "active", "value": False})

    assert [json.loads(r.body)["type"] for r in receiver.received] == ["employee.deactivated"]
    body = json.loads(receiver.received[0].body)
    assert body["data"]["changes"] == {"active": {"old": True, "new": False}}


def test_nothing_is_queued_without_endpoints_or_for_a_refused_request(
    scim, receiver, owner, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory(title="Engineer")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scim.patch_ops(employee.public_id, {"op": "Replace", "path": "title", "value": "CTO"})
    assert callbacks == []

    _register(receiver, owner, ["employee.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch_ops(
            employee.public_id, {"op": "Replace", "path": "userName", "value": ""}
        )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_deleted_employee_and_a_team_change_are_events(
    scim, receiver, owner, django_capture_on_commit_callbacks
):
    _register(receiver, owner, ["employee.deleted", "team.updated"])
    employee = EmployeeFactory(user_name="gone@contoso.com")
    team = TeamFactory(display_name="Platform")

    with django_capture_on_commit_callbacks(execute=True):
        scim.delete(f"Users/{employee.public_id}")
        scim.patch(
            f"Groups/{team.public_id}",
            {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "Replace", "path": "displayName", "value": "Platform team"}],
            },
        )

    bodies = [json.loads(r.body) for r in receiver.received]
    assert [b["type"] for b in bodies] == ["employee.deleted", "team.updated"]
    assert bodies[0]["data"]["object"]["deleted"] is True
    assert bodies[0]["data"]["changes"]["active"] == {"old": True, "new": False}
    assert bodies[1]["data"]["object"]["display_name"] == "Platform team"
    assert bodies[1]["data"]["changes"] == {
        "display_name": {"old": "Platform", "new": "Platform team"}
    }


def test_a_write_with_no_endpoint_registered_costs_no_query_for_webhooks(
    django_assert_num_queries,
):
    webhook_subscriptions_forget()
    with django_assert_num_queries(1):
        assert webhook_subscribed_event_types() == frozenset()
    with django_assert_num_queries(0):
        assert webhook_subscribed_event_types() == frozenset()


def test_registering_an_endpoint_takes_effect_at_once_in_this_process(owner):
    webhook_subscriptions_forget()
    assert webhook_subscribed_event_types() == frozenset()
    webhook_endpoint_create(
        url="https://hooks.example.com/a", events=["team.created"], created_by=owner
    )
    assert webhook_subscribed_event_types() == frozenset({"team.created"})
