"""Creating many employees in one write (an import), checked as employee_create() checks one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from audit.actor import Actor
from audit.diff import initial_values
from audit.models import ChangeAction, Channel
from audit.services import change_record_each
from custom_fields.selectors import custom_field_list
from employees.custom_values import custom_values_apply, custom_values_split
from employees.models import Employee, EmployeeChange
from employees.services import (
    _ENCODERS,
    _NOT_RECORDED,
    EDITABLE_FIELDS,
    LINKED_RECORDS,
    _constraint_error,
    _with_linked_records,
)


class EmployeeRowInvalid(Exception):
    """One of the employees given to employee_create_many is invalid: `index` says which."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error)
        self.index, self.error = index, error


def employee_create_many(*, actor: Actor, rows: list[dict[str, Any]]) -> list[Employee]:
    """Create many employees at once (an import), each recorded in the change history.

    Checks each employee as employee_create() does, with one query per kind of check for all
    of them, then writes them and their history entries with one INSERT each; every entry
    is announced like any other. A manager must be an existing employee: creating an employee
    cannot close a manager cycle. Raises EmployeeRowInvalid naming the first invalid row;
    call it inside the caller's transaction, which then rolls back whole.
    """
    definitions = custom_field_list()
    employees: list[Employee] = []
    for index, given in enumerate(rows):
        fields, custom = custom_values_split(given)
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
        try:
            employee = Employee(**_with_linked_records(employee=None, data=fields, actor=actor))
            employee.custom_fields, custom_changes = custom_values_apply({}, custom, definitions)
            if employee.manager is not None and employee.manager.deleted_at is not None:
                raise ValidationError({"manager": "This manager is deleted."})
            # Related records were read by the caller: no query per foreign key to check them.
            employee.full_clean(
                exclude={"public_id", "user", *LINKED_RECORDS, "manager"},
                validate_unique=False,
                validate_constraints=False,
            )
            start, end = employee.start_date, employee.end_date
            if start and end and end < start:
                raise ValidationError({"end_date": [_constraint_error("employee_end_after_start")]})
        except ValidationError as exc:
            raise EmployeeRowInvalid(index, exc) from None
        if actor.channel == Channel.SCIM:
            employee.last_synced_at = timezone.now()
        employee._import_changes = custom_changes  # kept until recorded below
        employees.append(employee)
    _check_unique_many(employees)
    recorded_fields = [field for field in EDITABLE_FIELDS if field not in _NOT_RECORDED]
    entries = []
    for employee in employees:
        changes = initial_values(
            employee,
            [f for f in recorded_fields if getattr(employee, f) != []],
            encoders=_ENCODERS,
        )
        changes.update(employee.__dict__.pop("_import_changes"))
        entries.append((employee, ChangeAction.CREATED, changes))
    with transaction.atomic(savepoint=False):
        try:
            Employee.objects.bulk_create(employees)
        except IntegrityError:
            # A concurrent write took a user name or number after the check: say which.
            raise EmployeeRowInvalid(
                0,
                ValidationError(
                    "Another change took one of these user names or employee numbers "
                    "meanwhile; try again."
                ),
            ) from None
        change_record_each(EmployeeChange, entries=entries, actor=actor)
    return employees


def _check_unique_many(employees: list[Employee]) -> None:
    """Refuse user names and employee numbers that are taken or given twice (two queries)."""
    names: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for index, employee in enumerate(employees):
        for seen, key, field in (
            (names, employee.user_name.lower(), "user_name"),
            (numbers, employee.employee_number, "employee_number"),
        ):
            if not key:
                continue
            if key in seen:
                raise EmployeeRowInvalid(
                    index, ValidationError({field: [_constraint_error(_UNIQUE[field])]})
                )
            seen[key] = index
    taken_names = Employee.objects.annotate(lower_name=Lower("user_name")).filter(
        lower_name__in=list(names), deleted_at__isnull=True
    )
    for name in taken_names.values_list("lower_name", flat=True).order_by()[:1]:
        raise EmployeeRowInvalid(
            names[name], ValidationError({"user_name": [_constraint_error(_UNIQUE["user_name"])]})
        )
    if numbers:
        taken_numbers = Employee.objects.filter(
            employee_number__in=list(numbers), deleted_at__isnull=True
        )
        for number in taken_numbers.values_list("employee_number", flat=True).order_by()[:1]:
            raise EmployeeRowInvalid(
                numbers[number],
                ValidationError(
                    {"employee_number": [_constraint_error(_UNIQUE["employee_number"])]}
                ),
            )


_UNIQUE = {"user_name": "employee_user_name_ci_unique", "employee_number": "employee_number_unique"}
