"""Organisation records: create, rename, merge, archive, and employees kept in step."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from employees.models import Employee, EmployeeChange
from employees.services import employee_update
from organisation.kinds import DEPARTMENT, LEGAL_ENTITY, LOCATION
from organisation.models import Department, DepartmentChange, LegalEntity, Location
from organisation.services import (
    org_record_archive,
    org_record_create,
    org_record_merge,
    org_record_restore,
    org_record_update,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_create_records_history_and_refuses_a_taken_name_in_any_case(web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name=" Sales ", cost_center="CC1")

    assert sales.name == "Sales"
    change = DepartmentChange.objects.get(department=sales)
    assert (change.action, change.channel, change.changes) == (
        "created",
        "web",
        {"name": [None, "Sales"], "cost_center": [None, "CC1"]},
    )
    with pytest.raises(ValidationError) as exc:
        org_record_create(kind=DEPARTMENT, actor=web_actor, name="SALES")
    assert exc.value.message_dict == {"name": ["The department “Sales” already has this name."]}


def test_location_time_zone_and_required_name_are_checked(web_actor):
    with pytest.raises(ValidationError) as exc:
        org_record_create(kind=LOCATION, actor=web_actor, name="  ")
    assert exc.value.message_dict == {"name": ["Enter a name."]}
    stockholm = org_record_create(
        kind=LOCATION, actor=web_actor, name="Stockholm", country="SE", time_zone="Europe/Stockholm"
    )
    assert Location.objects.get() == stockholm


def test_a_department_cannot_sit_below_its_own_sub_department(web_actor):
    top = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations")
    child = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Logistics", parent=top)

    with pytest.raises(ValidationError) as exc:
        org_record_update(kind=DEPARTMENT, record=top, actor=web_actor, data={"parent": child})
    assert "parent" in exc.value.message_dict
    assert Department.objects.get(pk=top.pk).parent is None


def test_rename_shows_the_new_name_on_employees_and_in_history(web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    employee = EmployeeFactory()
    employee = employee_update(employee=employee, actor=web_actor, data={"department": "sales"})
    assert (employee.department_record, employee.department) == (sales, "Sales")

    renamed = org_record_update(
        kind=DEPARTMENT, record=sales, actor=web_actor, data={"name": "Revenue"}
    )

    assert renamed.recorded_changes == {"name": ["Sales", "Revenue"]}
    assert Employee.objects.get(pk=employee.pk).department == "Revenue"


def test_merge_moves_employees_keeps_the_old_name_and_records_everything(web_actor):
    target = org_record_create(kind=LEGAL_ENTITY, actor=web_actor, name="Contoso AB")
    source = org_record_create(kind=LEGAL_ENTITY, actor=web_actor, name="Contoso Sweden")
    moved = EmployeeFactory()
    employee_update(employee=moved, actor=web_actor, data={"legal_entity": source})

    org_record_merge(kind=LEGAL_ENTITY, source=source, target=target, actor=web_actor)

    moved.refresh_from_db()
    assert (moved.legal_entity, moved.organization) == (target, "Contoso AB")
    assert list(target.aliases.values_list("name", flat=True)) == ["Contoso Sweden"]
    source.refresh_from_db()
    assert (source.merged_into, source.is_archived) == (target, True)
    assert EmployeeChange.objects.filter(employee=moved).first().changes == {
        "organization": ["Contoso Sweden", "Contoso AB"]
    }
    # The old name is taken by the alias: a new record cannot reuse it.
    with pytest.raises(ValidationError):
        org_record_create(kind=LEGAL_ENTITY, actor=web_actor, name="contoso sweden")


def test_merge_into_itself_is_refused(web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    with pytest.raises(ValidationError) as exc:
        org_record_merge(kind=DEPARTMENT, source=sales, target=sales, actor=web_actor)
    assert exc.value.message_dict == {"target": ["Choose another department to merge into."]}


def test_archive_and_restore_are_recorded_and_a_parent_in_use_cannot_be_archived(web_actor):
    top = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations")
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Logistics", parent=top)
    with pytest.raises(ValidationError):
        org_record_archive(kind=DEPARTMENT, record=top, actor=web_actor)

    place = org_record_create(kind=LOCATION, actor=web_actor, name="Oslo")
    archived = org_record_archive(kind=LOCATION, record=place, actor=web_actor)
    assert archived.is_archived
    assert archived.recorded_changes == {"archived": [False, True]}
    restored = org_record_restore(kind=LOCATION, record=place, actor=web_actor)
    assert not restored.is_archived


def test_the_migration_turns_every_free_text_value_into_a_record():
    EmployeeFactory(department="Sales", organization="Contoso AB", location="Oslo")
    EmployeeFactory(department=" sales ", organization="", location="oslo")
    EmployeeFactory(department="Sales", organization="Contoso AB", location="")
    EmployeeFactory(department="Legal", organization="", location="")
    migration = importlib.import_module("employees.migrations.0010_free_text_to_org_records")

    migration.forwards(apps, None)

    assert sorted(Department.objects.values_list("name", flat=True)) == ["Legal", "Sales"]
    assert list(LegalEntity.objects.values_list("name", flat=True)) == ["Contoso AB"]
    assert list(Location.objects.values_list("name", flat=True)) == ["Oslo"]
    for employee in Employee.objects.all():
        for text, fk in (
            ("department", "department_record"),
            ("organization", "legal_entity"),
            ("location", "location_record"),
        ):
            value = getattr(employee, text)
            record = getattr(employee, fk)
            # No value lost: the text stays and every non-empty value has its record.
            assert (record.name.lower() if record else "") == value.strip().lower()
    assert set(Employee.objects.values_list("department", flat=True)) == {
        "Sales",
        " sales ",
        "Legal",
    }


def test_a_name_the_unique_index_calls_taken_is_found_not_created_again(web_actor):
    """Python and the database fold letter case differently ("İ"): lookups use the index's
    own expression, so a second spelling finds the record instead of failing on the index."""
    from organisation.kinds import LOCATION
    from organisation.services import org_record_create, org_record_link

    first = org_record_create(kind=LOCATION, actor=web_actor, name="İzmir")
    assert org_record_link(kind=LOCATION, name="  İzmir ", actor=web_actor) == first
