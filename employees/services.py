"""Writes to the employee record. Every change validates, runs in a transaction and is recorded.

One module although long: create, update and delete share the field lists, checks and locks below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, UniqueConstraint
from django.utils import timezone

from audit.actor import Actor
from audit.diff import apply_changes, initial_values
from audit.models import ChangeAction, Channel
from audit.services import change_record, change_record_many
from employees.custom_values import (
    CUSTOM_FIELDS,
    CUSTOM_PREFIX,
    custom_values_apply,
    custom_values_split,
)
from employees.models import Employee, EmployeeChange
from employees.selectors import (
    employee_locked,
    employee_manager_chain_ids,
    employee_number_taken,
    employee_user_name_taken,
)

# How SCIM presents a kept value (the spelling of a phone number, which email is primary):
# saved with the record, not shown in its change history.
PRESENTATION_FIELDS = (
    "work_email_primary",
    "work_phone_primary",
    "work_phone_as_sent",
    "active_stated",
)
# The organisation record behind a text field: the text holds the record's current name, so
# that readers (filters, search, SCIM, exports) keep one indexed column; history shows the text.
LINKED_RECORDS = {
    "department_record": "department",
    "legal_entity": "organization",
    "location_record": "location",
}
_NOT_RECORDED = (*PRESENTATION_FIELDS, *LINKED_RECORDS)

# What the employee keeps up to date themselves (self-service), HR too; never sent by Entra.
PERSONAL_FIELDS = (
    "preferred_name",
    "pronouns",
    "personal_email",
    "mobile_phone",
    "home_address",
    "emergency_contacts",
)
# Fields that HR, the admin, SCIM and the API may write. Everything else is managed here.
EDITABLE_FIELDS = (
    "user_name",
    "external_id",
    "given_name",
    "family_name",
    "display_name",
    "title",
    "work_email",
    "work_phone",
    "employee_number",
    "department",
    "cost_center",
    "division",
    "organization",
    "location",
    *LINKED_RECORDS,
    "employment_type",
    *PERSONAL_FIELDS,
    "manager",
    "active",
    "start_date",
    "end_date",
    *PRESENTATION_FIELDS,
    "end_reason",
    # Written by SCIM only (the roles Entra assigns); recorded in history.
    "entra_roles",
)
# Database constraint name -> the field its errors belong to (SCIM and forms need the field).
_CONSTRAINT_FIELDS = {
    "employee_user_name_ci_unique": "user_name",
    "employee_number_unique": "employee_number",
    "employee_end_after_start": "end_date",
}
_CONSTRAINTS = {constraint.name: constraint for constraint in Employee._meta.constraints}


# The PostgreSQL advisory lock that every manager change holds until its transaction ends
# (any fixed 64-bit number that nothing else uses; these are the bytes of "alexis:m").
MANAGER_CHANGE_LOCK = int.from_bytes(b"alexis:m", "big")


class VersionConflict(Exception):
    """The employee changed since the caller read it (an If-Match precondition failed)."""


# Called after an employee is deactivated or deleted, inside the same transaction. Other
# apps (single sign-on, for instance) register here to end access; employees knows none.
on_access_revoked: list[Callable[[Employee], None]] = []
# Called after an employee is reactivated, inside the same transaction.
on_access_restored: list[Callable[[Employee], None]] = []


# The history names a manager by user name, which people recognise and which survives a delete,
# and the roles Entra assigns by their values (accounts reads them to grant HR admin).
_ENCODERS = {
    "manager": lambda manager: manager.user_name,
    "entra_roles": lambda roles: [role.get("value") for role in roles],
}


def _save(employee: Employee, **save_kwargs: Any) -> None:
    """Save, turning a unique-constraint race into a field error instead of a 500.

    Always called inside the service's atomic block, which rolls the failed write back:
    a savepoint of its own here would cost two more round trips on every save.
    """
    try:
        employee.save(**save_kwargs)
    except IntegrityError as exc:
        text = str(exc)
        for constraint in Employee._meta.constraints:
            field = _CONSTRAINT_FIELDS[constraint.name]
            # SQLite names a plain unique column instead of the constraint.
            if constraint.name in text or f"employee.{field}" in text:
                raise ValidationError({field: [_constraint_error(constraint.name)]}) from None
        raise


def _constraint_error(name: str) -> ValidationError:
    """The error of one model constraint; code "unique" says another employee holds the value."""
    constraint = _CONSTRAINTS[name]
    code = "unique" if isinstance(constraint, UniqueConstraint) else "invalid"
    return ValidationError(constraint.violation_error_message, code=code)


def _constraint_errors(employee: Employee, check: set[str]) -> dict[str, list[ValidationError]]:
    """Check the model's constraints that concern the fields in `check`, one EXISTS each.

    Django's validate_constraints() would compile a generic query per constraint inside a
    savepoint; these indexed queries ask the same questions for a fraction of the cost. The
    constraints stay the rule: a concurrent write that slips past is caught by _save().
    """
    errors: dict[str, list[ValidationError]] = {}
    if "user_name" in check and employee_user_name_taken(
        employee.user_name, exclude_pk=employee.pk
    ):
        errors["user_name"] = [_constraint_error("employee_user_name_ci_unique")]
    if (
        "employee_number" in check
        and employee.employee_number
        and employee_number_taken(employee.employee_number, exclude_pk=employee.pk)
    ):
        errors["employee_number"] = [_constraint_error("employee_number_unique")]
    start, end = employee.start_date, employee.end_date
    if check & {"start_date", "end_date"} and start and end and end < start:
        errors["end_date"] = [_constraint_error("employee_end_after_start")]
    return errors


def employee_check_manager(*, employee: Employee, manager: Employee | None) -> None:
    """Refuse a deleted manager or one that would close a cycle (one query).

    Forms call it too, so that a cycle shows beside the other errors of the same save.
    """
    _check_manager(employee, manager)


def _check_manager(employee: Employee, manager: Employee | None) -> None:
    """Refuse a deleted manager or one that would close a cycle (one query)."""
    if manager is None:
        return
    chain = employee_manager_chain_ids(manager.pk, skip_deleted=True)
    if not chain:
        raise ValidationError({"manager": "The manager has been deleted."}, code="invalid")
    if employee.pk is not None and employee.pk in chain:
        raise ValidationError(
            {"manager": "This manager would make the employee report to themselves (a cycle)."},
            code="cycle",
        )


def _manager_changes_serialised() -> None:
    """Wait until no other transaction is changing a manager, then hold that until commit.

    Two changes can each pass the cycle check and together close a cycle (a→b, then b→c
    and c→a at once). Taken before the chain is read, the lock makes the check see every
    committed change; READ COMMITTED gives the next statement a fresh snapshot. Clearing a
    manager or creating an employee cannot close a cycle and does not wait. SQLite lets
    one writer in at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MANAGER_CHANGE_LOCK])


# The unique constraints that _constraint_errors() looks up with a query each.
_LOOKED_UP = frozenset({"user_name", "employee_number"})


def _validate(employee: Employee, changed: set[str], *, unique_by_constraint: bool = False) -> None:
    """Validate the changed fields and the constraints they take part in; all errors at once.

    The manager was already checked by _check_manager. An organisation record given as an
    object (resolved from its name in this request, or a form's choice) was just read: it
    is not looked up again. With `unique_by_constraint`, a record that is otherwise valid
    leaves its user name and employee number to the database's unique constraints, which
    _save() answers with the same error; the lookups run when anything else is invalid, so
    that the errors are those of a full check (a taken user name is 409 whatever else).
    """
    check = set(changed) - {"manager"}
    check -= {name for name in LINKED_RECORDS if Employee._meta.get_field(name).is_cached(employee)}
    errors: dict[str, list[ValidationError]] = {}
    try:
        employee.full_clean(
            exclude={f.name for f in Employee._meta.concrete_fields} - check,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors = exc.error_dict
    # A field that is already invalid is not looked up as well.
    check -= set(errors)
    found = _constraint_errors(employee, check - _LOOKED_UP if unique_by_constraint else check)
    if unique_by_constraint and (errors or found) and check & _LOOKED_UP:
        found = _constraint_errors(employee, check)
    for field, messages in found.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _locked(employee: Employee, *, already: bool) -> Employee:
    """Return the employee with its row locked: as given when the caller locked it already."""
    if already:
        return employee
    locked = employee_locked(pk=employee.pk)
    if locked is None:
        raise Employee.DoesNotExist("The employee is deleted.")
    return locked


# Resolves a name written as text to its record: {foreign key: resolver(name, actor)}. The
# organisation app registers these (employees does not import it); None for an empty name.
record_resolvers: dict[str, Callable[[str, Actor], Any]] = {}


def _with_linked_records(
    *, employee: Employee | None, data: Mapping[str, Any], actor: Actor
) -> dict[str, Any]:
    """Keep each organisation record and its text field in step, whichever was written.

    A record sets the text to its name; a changed text alone is looked up by name or old
    name (trimmed, any case) and an unknown name creates the record.
    """
    data = dict(data)
    for fk, text in LINKED_RECORDS.items():
        if fk in data:
            data[text] = data[fk].name if data[fk] is not None else ""
        elif text in data and fk in record_resolvers:
            wanted = (data[text] or "").strip()
            current = getattr(employee, text) if employee is not None else None
            if current is not None and current.strip().lower() == wanted.lower():
                # Unchanged (forms send every field): no lookup, the record stays.
                data[text] = current
                continue
            record = record_resolvers[fk](wanted, actor)
            data[fk] = record
            data[text] = record.name if record is not None else ""
    return data


def employee_create(*, actor: Actor, unique_by_constraint: bool = False, **fields: Any) -> Employee:
    """Create an employee from EDITABLE_FIELDS and record it in the change history.

    Validation only reads, so it runs before the transaction. Inside a caller's transaction
    the two INSERTs take no savepoint: if one fails, the caller's transaction is rolled back.
    A caller that rolls its transaction back whole on any error (SCIM) may pass
    `unique_by_constraint`: the INSERT's unique constraints then check the user name and
    employee number of a valid record, a query fewer, with the same error.
    """
    fields, custom = custom_values_split(fields)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    employee = Employee(**_with_linked_records(employee=None, data=fields, actor=actor))
    employee.custom_fields, custom_changes = custom_values_apply({}, custom)
    if actor.channel == Channel.SCIM:
        employee.last_synced_at = timezone.now()
    _check_manager(employee, employee.manager)
    _validate(
        employee,
        {f.name for f in Employee._meta.concrete_fields} - {"public_id"},
        unique_by_constraint=unique_by_constraint,
    )
    recorded_fields = [
        field
        for field in EDITABLE_FIELDS
        if field not in _NOT_RECORDED and getattr(employee, field) != []
    ]
    changes = initial_values(employee, recorded_fields, encoders=_ENCODERS)
    changes.update(custom_changes)
    with transaction.atomic(savepoint=False):
        _save(employee)
        change_record(
            EmployeeChange,
            subject=employee,
            actor=actor,
            action=ChangeAction.CREATED,
            changes=changes,
        )
    return employee


def employee_update(
    *,
    employee: Employee,
    actor: Actor,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    already_locked: bool = False,
    unique_by_constraint: bool = False,
) -> Employee:
    """Apply new field values to an employee, locking its row so that no update is lost.

    Records one history entry naming every changed field; `active` going off or on is
    recorded as a deactivation or reactivation. Returns the saved employee: a fresh
    instance, or `employee` itself when `already_locked` says that the caller read it with
    employee_locked() in its own transaction. That caller gets no savepoint: any error here
    rolls back its whole transaction. What changed is on the result's `recorded_change`
    (None when nothing did) and `recorded_changes`. `unique_by_constraint` as for
    employee_create().
    """
    data, custom = custom_values_split(data)
    if custom:
        data[CUSTOM_FIELDS] = custom
    unknown = set(data) - set(EDITABLE_FIELDS) - {CUSTOM_FIELDS}
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic(savepoint=not already_locked):
        return _update(
            _locked(employee, already=already_locked),
            actor,
            data,
            expected_version,
            unique_by_constraint=unique_by_constraint,
        )


def _update(
    locked: Employee,
    actor: Actor,
    data: Mapping[str, Any],
    expected_version: int | None,
    *,
    unique_by_constraint: bool = False,
) -> Employee:
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict
    data = _with_linked_records(employee=locked, data=data, actor=actor)
    changes: dict[str, list[Any]] = {}
    if CUSTOM_FIELDS in data:
        locked.custom_fields, custom_changes = custom_values_apply(
            locked.custom_fields, data[CUSTOM_FIELDS]
        )
        changes.update(custom_changes)
    changes.update(
        apply_changes(
            locked, {k: v for k, v in data.items() if k != CUSTOM_FIELDS}, encoders=_ENCODERS
        )
    )
    locked.recorded_change = None
    if actor.channel == Channel.SCIM:
        locked.last_synced_at = timezone.now()
    if not changes:
        if actor.channel == Channel.SCIM:
            locked.save(update_fields=["last_synced_at"])
        return locked
    if "manager" in changes:
        if locked.manager is not None:
            _manager_changes_serialised()
        _check_manager(locked, locked.manager)
    _validate(locked, set(changes), unique_by_constraint=unique_by_constraint)
    locked.version += 1
    update_fields = [
        *(field for field in changes if not field.startswith(CUSTOM_PREFIX)),
        "version",
        "updated_at",
    ]
    if any(field.startswith(CUSTOM_PREFIX) for field in changes):
        update_fields.append(CUSTOM_FIELDS)
    if actor.channel == Channel.SCIM:
        update_fields.append("last_synced_at")
    _save(locked, update_fields=update_fields)
    action = ChangeAction.UPDATED
    if "active" in changes:
        action = ChangeAction.REACTIVATED if locked.active else ChangeAction.DEACTIVATED
    recorded = {k: v for k, v in changes.items() if k not in _NOT_RECORDED}
    if recorded:
        change_record(EmployeeChange, subject=locked, actor=actor, action=action, changes=recorded)
    if action == ChangeAction.DEACTIVATED:
        for callback in on_access_revoked:
            callback(locked)
    elif action == ChangeAction.REACTIVATED:
        for callback in on_access_restored:
            callback(locked)
    return locked


def employee_deactivate(
    *,
    employee: Employee,
    actor: Actor,
    end_date: dt.date | None = None,
    end_reason: str | None = None,
) -> Employee:
    """Mark an employee inactive (Entra's disable); the record and its history stay.

    HR gives the last day and why they leave; both land in the same history entry.
    """
    data: dict[str, Any] = {"active": False}
    if end_date is not None:
        data["end_date"] = end_date
    if end_reason is not None:
        data["end_reason"] = end_reason
    return employee_update(employee=employee, actor=actor, data=data)


def employee_reactivate(*, employee: Employee, actor: Actor) -> Employee:
    """Mark an inactive employee active again; their end date and leaving reason are cleared."""
    return employee_update(
        employee=employee, actor=actor, data={"active": True, "end_date": None, "end_reason": ""}
    )


def employee_delete(*, employee: Employee, actor: Actor, already_locked: bool = False) -> Employee:
    """Soft-delete an employee: hidden from SCIM and lists, kept for HR with its history.

    The user name becomes free for a new employee, and direct reports lose their manager
    (recorded in their own history). `already_locked` as for employee_update.
    """
    with transaction.atomic(savepoint=not already_locked):
        return _delete(_locked(employee, already=already_locked), actor)


def _delete(locked: Employee, actor: Actor) -> Employee:
    now = timezone.now()
    was_active = locked.active
    locked.deleted_at = now
    locked.active = False
    locked.version += 1
    if actor.channel == Channel.SCIM:
        locked.last_synced_at = now
    locked.save(update_fields=["deleted_at", "active", "version", "updated_at", "last_synced_at"])
    changes: dict[str, list[Any]] = {"deleted_at": [None, now.isoformat()]}
    if was_active:
        changes["active"] = [True, False]
    change_record(
        EmployeeChange, subject=locked, actor=actor, action=ChangeAction.DELETED, changes=changes
    )

    report_ids = list(
        Employee.objects.filter(manager=locked, deleted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if report_ids:
        Employee.objects.filter(pk__in=report_ids).update(
            manager=None, updated_at=now, version=F("version") + 1
        )
        change_record_many(
            EmployeeChange,
            subject_ids=report_ids,
            actor=actor,
            action=ChangeAction.UPDATED,
            changes={"manager": [locked.user_name, None]},
        )
    for callback in on_access_revoked:
        callback(locked)
    return locked
