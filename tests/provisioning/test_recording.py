"""Every SCIM request leaves exactly one provisioning event describing what happened."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client

from audit.models import ChangeAction
from employees.models import Employee
from provisioning.models import Operation, ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, ENTRA_GROUP, GROUP, Scim, entra_create_body

pytestmark = pytest.mark.django_db

FIELDS = (
    "method",
    "path",
    "query",
    "status",
    "operation",
    "resource_type",
    "resource_id",
    "user_name",
    "token_name",
    "client_ip",
    "scim_type",
    "detail",
    "changes",
)


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def only_event() -> ProvisioningEvent:
    events = list(ProvisioningEvent.objects.all())
    assert len(events) == 1, [str(e) for e in events]
    return events[0]


def row(event: ProvisioningEvent) -> dict:
    return {name: getattr(event, name) for name in FIELDS}


def expected(**fields) -> dict:
    base = {
        "query": "",
        "resource_type": "User",
        "resource_id": "",
        "user_name": "",
        "token_name": "Entra ID",
        "client_ip": "127.0.0.1",
        "scim_type": "",
        "detail": "",
        "changes": {},
    }
    return {**base, **fields}


def test_create_records_created_with_new_values(scim, scim_token):
    response = scim.post("Users", entra_create_body("alice@contoso.com"))
    assert response.status_code == HTTPStatus.CREATED
    employee = Employee.objects.get(user_name="alice@contoso.com")

    event = only_event()
    assert row(event) == expected(
        method="POST",
        path="/scim/v2/Users",
        status=201,
        operation=Operation.CREATED,
        resource_id=str(employee.public_id),
        user_name="alice@contoso.com",
        changes={
            "user_name": [None, "alice@contoso.com"],
            "external_id": [None, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"],
            "given_name": [None, "Grace"],
            "family_name": [None, "Hopper"],
            "work_email": [None, "grace.hopper@contoso.com"],
            "active": [None, True],
        },
    )
    assert (event.token_id, event.employee_id) == (scim_token.token.pk, employee.pk)
    assert event.duration_ms >= 0


def test_patch_records_updated_with_old_and_new(scim):
    employee = EmployeeFactory(user_name="bob@contoso.com", title="Analyst")

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": "title", "value": "Engineer"}
    )
    assert response.status_code == HTTPStatus.OK

    assert row(only_event()) == expected(
        method="PATCH",
        path=f"/scim/v2/Users/{employee.public_id}",
        status=200,
        operation=Operation.UPDATED,
        resource_id=str(employee.public_id),
        user_name="bob@contoso.com",
        changes={"title": ["Analyst", "Engineer"]},
    )


def test_disable_and_reactivate_are_named(scim):
    employee = EmployeeFactory(user_name="carol@contoso.com", active=True)

    scim.patch_ops(employee.public_id, {"op": "Replace", "path": "active", "value": "False"})
    scim.patch_ops(employee.public_id, {"op": "Replace", "path": "active", "value": True})

    events = list(ProvisioningEvent.objects.order_by("id"))
    assert [(e.operation, e.status, e.changes) for e in events] == [
        (Operation.DEACTIVATED, 200, {"active": [True, False]}),
        (Operation.REACTIVATED, 200, {"active": [False, True]}),
    ]
    assert {e.employee_id for e in events} == {employee.pk}


def test_delete_records_deleted(scim):
    employee = EmployeeFactory(user_name="dan@contoso.com")

    assert scim.delete(f"Users/{employee.public_id}").status_code == HTTPStatus.NO_CONTENT

    assert row(only_event()) == expected(
        method="DELETE",
        path=f"/scim/v2/Users/{employee.public_id}",
        status=204,
        operation=Operation.DELETED,
        resource_id=str(employee.public_id),
        user_name="dan@contoso.com",
        changes=employee.changes.get(action=ChangeAction.DELETED).changes,
    )
    assert only_event().changes["active"] == [True, False]


def test_filter_records_queried_with_the_query_string(scim):
    EmployeeFactory(user_name="erin@contoso.com")

    response = scim.get('Users?filter=userName eq "erin@contoso.com"')
    assert response.json()["totalResults"] == 1

    assert row(only_event()) == expected(
        method="GET",
        path="/scim/v2/Users",
        query='filter=userName eq "erin@contoso.com"',
        status=200,
        operation=Operation.QUERIED,
        resource_type="",
    )


def test_discovery_is_queried(scim):
    scim.get("ServiceProviderConfig")
    assert (only_event().operation, only_event().status) == (Operation.QUERIED, 200)


def test_bad_input_records_refused_with_scim_type_and_detail(scim):
    response = scim.post("Users", entra_create_body("frank@contoso.com", active="maybe"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()

    assert row(only_event()) == expected(
        method="POST",
        path="/scim/v2/Users",
        status=400,
        operation=Operation.REFUSED,
        scim_type=body["scimType"],
        detail=body["detail"],
    )
    assert not Employee.objects.exists()


def test_patch_failing_half_way_records_one_refusal_and_changes_nothing(scim):
    employee = EmployeeFactory(user_name="gina@contoso.com", title="Analyst")

    response = scim.patch_ops(
        employee.public_id,
        {"op": "Replace", "path": "title", "value": "Engineer"},
        {"op": "Replace", "path": "noSuchAttribute", "value": "x"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST

    employee.refresh_from_db()
    assert employee.title == "Analyst"
    event = only_event()
    assert (event.operation, event.status, event.changes) == (Operation.REFUSED, 400, {})
    assert event.detail == response.json()["detail"]
    assert event.scim_type == response.json()["scimType"]
    assert not ProvisioningEvent.objects.filter(operation=Operation.UPDATED).exists()


def test_a_recording_failure_rolls_back_the_change_and_records_the_refusal(scim, monkeypatch):
    """A change must not exist without its event: if the insert fails, the change goes too."""
    from provisioning import services

    employee = EmployeeFactory(user_name="hal@contoso.com", title="Analyst")
    real = services.ProvisioningEvent.save
    calls = []

    def failing_first_save(self, *args, **kwargs):
        calls.append(self.operation)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(services.ProvisioningEvent, "save", failing_first_save)

    response = scim.patch_ops(
        employee.public_id, {"op": "Replace", "path": "title", "value": "Engineer"}
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    employee.refresh_from_db()
    assert employee.title == "Analyst"
    event = only_event()
    assert (event.operation, event.status, event.changes) == (Operation.REFUSED, 500, {})
    assert calls == [Operation.UPDATED, Operation.REFUSED]


def test_missing_token_records_401_without_token(client):
    response = Client().get("/scim/v2/Users")
    assert response.status_code == HTTPStatus.UNAUTHORIZED

    event = only_event()
    assert row(event) == expected(
        method="GET",
        path="/scim/v2/Users",
        status=401,
        operation=Operation.REFUSED,
        resource_type="",
        token_name="",
        detail="A valid access token with the Provisioning scope is required.",
    )
    assert event.token_id is None


def test_unknown_path_and_unsupported_method_are_recorded(scim):
    assert scim.get("Nope").status_code == HTTPStatus.NOT_FOUND
    assert scim.post("Bulk", {}).status_code == HTTPStatus.NOT_IMPLEMENTED
    assert scim.post(f"Users/{EmployeeFactory().public_id}", {}).status_code == 405
    assert list(ProvisioningEvent.objects.order_by("id").values_list("status", "operation")) == [
        (404, Operation.REFUSED),
        (501, Operation.REFUSED),
        (405, Operation.REFUSED),
    ]


def test_logging_switch_off_records_nothing(scim, settings):
    settings.PROVISIONING_LOG_ENABLED = False
    scim.get("Users")
    assert not ProvisioningEvent.objects.exists()


def test_a_team_on_the_outcome_is_recorded_as_a_group(rf, scim_token):
    """Group requests put the team on the outcome; the event names it."""
    from provisioning.services import provisioning_event_record
    from scim_api.outcome import outcome_for
    from teams.models import Team

    team = Team.objects.create(display_name="Platform")
    request = rf.patch(f"/scim/v2/Groups/{team.pk}", REMOTE_ADDR="198.51.100.4")
    outcome = outcome_for(request)
    outcome.operation, outcome.token, outcome.resource_id = "patch", scim_token.token, "g-1"
    outcome.team = team
    outcome.changes = {"display_name": ["Platfrom", "Platform"]}

    event = provisioning_event_record(outcome=outcome, request=request, status=200, duration_ms=3)

    event.refresh_from_db()
    assert (event.resource_type, event.team_id, event.user_name, event.employee_id) == (
        "Group",
        team.pk,
        "Platform",
        None,
    )
    assert (event.operation, event.client_ip, event.duration_ms) == (
        Operation.UPDATED,
        "198.51.100.4",
        3,
    )


def test_no_table_holds_the_token_or_a_password(scim, scim_token):
    secret_password = "Sup3r-Secret-Passw0rd-xyz"
    body = entra_create_body("ivy@contoso.com", password=secret_password)
    body[ENT] = {"department": "Finance"}
    scim.post("Users", body)
    EmployeeFactory(user_name="jo@contoso.com")
    scim.patch_ops(
        Employee.objects.get(user_name="jo@contoso.com").public_id,
        {"op": "Replace", "path": "password", "value": secret_password},
    )
    Client().get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}x")
    assert ProvisioningEvent.objects.count() == 3

    needles = [secret_password, scim_token.plaintext, "Bearer"]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            description = connection.introspection.get_table_description(cursor, table)
            columns = [c.name for c in description]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            for values in cursor.fetchall():
                for column, value in zip(columns, values, strict=True):
                    text = (
                        value.decode(errors="replace") if isinstance(value, bytes) else str(value)
                    )
                    for needle in needles:
                        assert needle not in text, f"{table}.{column} holds a secret"


def test_nul_bytes_in_the_request_are_recorded_readably(scim):
    response = scim.get("/scim/v2/Users/%00?filter=%00")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    event = only_event()
    assert (event.path, event.query, event.status, event.scim_type) == (
        "/scim/v2/Users/\ufffd",
        "filter=%00",
        400,
        "invalidFilter",
    )
    assert "\x00" not in event.detail


def test_group_requests_through_scim_are_recorded_as_groups(scim):
    member = EmployeeFactory(user_name="carol@contoso.com")
    created = scim.post(
        "Groups",
        {"schemas": [GROUP, ENTRA_GROUP], "displayName": "Engineering", "externalId": "g-1"},
    )
    assert created.status_code == HTTPStatus.CREATED
    team_id = created.json()["id"]
    patched = scim.patch_group(
        team_id, {"op": "Add", "path": "members", "value": [{"value": str(member.public_id)}]}
    )
    assert patched.status_code == HTTPStatus.NO_CONTENT

    events = list(ProvisioningEvent.objects.order_by("id"))
    assert [(e.method, e.status, e.operation, e.resource_type) for e in events] == [
        ("POST", 201, Operation.CREATED, "Group"),
        ("PATCH", 204, Operation.UPDATED, "Group"),
    ]
    assert {e.resource_id for e in events} == {team_id}
    assert {e.user_name for e in events} == {"Engineering"}
    assert all(e.team is not None and e.employee is None for e in events)
    assert events[1].changes["members_added"]["user_names"] == ["carol@contoso.com"]
