import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from employees.selectors import employee_locked, employee_manager_chain
from employees.services import (
    Actor,
    VersionConflict,
    employee_create,
    employee_deactivate,
    employee_delete,
    employee_reactivate,
    employee_update,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _person(user_name: str, manager: Employee | None = None, actor: Actor | None = None):
    return employee_create(
        actor=actor or Actor.system(),
        user_name=user_name,
        given_name=user_name.split("@")[0].title(),
        family_name="Test",
        work_email=user_name,
        manager=manager,
    )


def test_create_records_history_with_channel_and_actor(hr_admin):
    employee = _person("alice@contoso.com", actor=Actor(channel=Channel.WEB, user=hr_admin))
    change = EmployeeChange.objects.get(employee=employee)
    assert change.action == ChangeAction.CREATED
    assert change.channel == Channel.WEB
    assert change.actor_user == hr_admin
    assert change.actor_token is None
    assert change.changes["user_name"] == [None, "alice@contoso.com"]
    assert change.changes["active"] == [None, True]


def test_update_records_old_and_new_values_with_the_token(owner):
    token = access_token_create(name="Entra", scopes=[Scope.SCIM], created_by=owner).token
    employee = _person("alice@contoso.com")
    actor = Actor(channel=Channel.SCIM, token=token)
    updated = employee_update(
        employee=employee, actor=actor, data={"title": "CTO", "department": "Engineering"}
    )
    assert updated.version == employee.version + 1
    assert updated.last_synced_at is not None
    change = EmployeeChange.objects.filter(employee=employee).first()
    assert change.action == ChangeAction.UPDATED
    assert change.channel == Channel.SCIM
    assert change.actor_token == token
    assert change.changes == {"title": ["", "CTO"], "department": ["", "Engineering"]}


def test_update_without_a_change_records_nothing():
    employee = _person("alice@contoso.com")
    employee_update(employee=employee, actor=Actor.system(), data={"given_name": "Alice"})
    assert EmployeeChange.objects.filter(employee=employee).count() == 1


def test_refused_update_changes_nothing_and_records_nothing():
    employee = _person("alice@contoso.com")
    with pytest.raises(ValidationError):
        employee_update(
            employee=employee,
            actor=Actor.system(),
            data={"title": "CTO", "work_phone": "not a phone"},
        )
    employee.refresh_from_db()
    assert employee.title == ""
    assert EmployeeChange.objects.filter(employee=employee).count() == 1


def test_stale_version_is_refused():
    employee = _person("alice@contoso.com")
    employee_update(employee=employee, actor=Actor.system(), data={"title": "A"})
    with pytest.raises(VersionConflict):
        employee_update(
            employee=employee,
            actor=Actor.system(),
            data={"title": "B"},
            expected_version=employee.version,
        )
    employee.refresh_from_db()
    assert employee.title == "A"


def test_deactivate_and_reactivate_are_recorded_as_such():
    employee = _person("alice@contoso.com")
    employee_deactivate(employee=employee, actor=Actor.system())
    employee.refresh_from_db()
    assert employee.active is False
    employee_reactivate(employee=employee, actor=Actor.system())
    employee.refresh_from_db()
    assert employee.active is True
    actions = list(
        EmployeeChange.objects.filter(employee=employee).values_list("action", flat=True)
    )
    assert actions == [ChangeAction.REACTIVATED, ChangeAction.DEACTIVATED, ChangeAction.CREATED]


def test_manager_cycle_is_refused():
    ceo = _person("ceo@contoso.com")
    vp = _person("vp@contoso.com", manager=ceo)
    lead = _person("lead@contoso.com", manager=vp)
    with pytest.raises(ValidationError) as excinfo:
        employee_update(employee=ceo, actor=Actor.system(), data={"manager": lead})
    assert list(excinfo.value.message_dict) == ["manager"]
    assert "cycle" in excinfo.value.message_dict["manager"][0]
    with pytest.raises(ValidationError):
        employee_update(employee=ceo, actor=Actor.system(), data={"manager": ceo})
    ceo.refresh_from_db()
    assert ceo.manager is None


def test_manager_chain_runs_to_the_top(django_assert_num_queries):
    ceo = _person("ceo@contoso.com")
    vp = _person("vp@contoso.com", manager=ceo)
    lead = _person("lead@contoso.com", manager=vp)
    dev = _person("dev@contoso.com", manager=lead)
    with django_assert_num_queries(1):
        chain = employee_manager_chain(dev)
    assert chain == [lead, vp, ceo]


def test_hard_deleting_a_manager_leaves_reports_without_manager():
    manager = EmployeeFactory()
    reports = EmployeeFactory.create_batch(3, manager=manager)
    manager.delete()
    assert Employee.objects.filter(pk__in=[r.pk for r in reports], manager=None).count() == 3


def test_soft_delete_keeps_the_record_and_unlinks_reports(hr_admin):
    manager = _person("boss@contoso.com")
    report = _person("report@contoso.com", manager=manager)
    actor = Actor(channel=Channel.WEB, user=hr_admin)
    employee_delete(employee=manager, actor=actor)
    manager.refresh_from_db()
    report.refresh_from_db()
    assert manager.deleted_at is not None
    assert manager.active is False
    assert report.manager is None
    assert report.deleted_at is None
    assert EmployeeChange.objects.filter(
        employee=manager, action=ChangeAction.DELETED, actor_user=hr_admin
    ).exists()
    assert EmployeeChange.objects.get(employee=report, action=ChangeAction.UPDATED).changes == {
        "manager": ["boss@contoso.com", None]
    }


def test_deleted_manager_cannot_be_assigned():
    manager = _person("boss@contoso.com")
    employee = _person("worker@contoso.com")
    employee_delete(employee=manager, actor=Actor.system())
    with pytest.raises(ValidationError) as excinfo:
        employee_update(employee=employee, actor=Actor.system(), data={"manager": manager})
    assert excinfo.value.message_dict == {"manager": ["The manager has been deleted."]}


def test_access_revoked_hooks_run_on_deactivate_and_delete(monkeypatch):
    from employees import services

    seen = []
    monkeypatch.setattr(services, "on_access_revoked", [lambda e: seen.append(e.user_name)])
    employee = _person("alice@contoso.com")
    employee_deactivate(employee=employee, actor=Actor.system())
    employee_delete(employee=employee, actor=Actor.system())
    assert seen == ["alice@contoso.com", "alice@contoso.com"]


def test_a_caller_holding_the_row_lock_is_not_read_again(django_assert_num_queries):
    employee = _person("alice@contoso.com")
    with transaction.atomic():
        locked = employee_locked(public_id=employee.public_id)
        with django_assert_num_queries(2):  # the UPDATE and the history INSERT
            updated = employee_update(
                employee=locked,
                actor=Actor.system(),
                data={"title": "CTO"},
                already_locked=True,
            )
    assert updated is locked
    employee.refresh_from_db()
    assert employee.title == "CTO"
    assert employee.version == 2


def test_a_deleted_employee_cannot_be_locked_for_a_write():
    employee = _person("alice@contoso.com")
    employee_delete(employee=employee, actor=Actor.system())
    with transaction.atomic():
        assert employee_locked(public_id=employee.public_id) is None
        with pytest.raises(Employee.DoesNotExist):
            employee_update(employee=employee, actor=Actor.system(), data={"title": "CTO"})
