"""Writes to the organisation structure. Each validates, runs in a transaction and is recorded."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.actor import Actor
from audit.diff import apply_changes, initial_values
from audit.models import ChangeAction
from audit.services import change_record, change_record_many
from employees.models import Employee, EmployeeChange
from employees.selectors import employee_filter_options_forget
from organisation.kinds import DEPARTMENT, Kind
from organisation.models import Department, OrganisationSettings, OrgRecord
from organisation.selectors import normalise_name, org_record_by_name, organisation_settings

_ENCODERS = {
    "parent": lambda department: department.name,
    "head": lambda employee: employee.user_name,
    "merged_into": lambda record: record.name,
}


def _record_change(kind: Kind, record: OrgRecord, actor: Actor, action: str, changes: dict):
    """Record the change and refresh the directory's filter choices once it commits."""
    change_record(kind.change_model, subject=record, actor=actor, action=action, changes=changes)
    transaction.on_commit(employee_filter_options_forget)


def _check_name(kind: Kind, record: OrgRecord) -> None:
    """Refuse an empty name or one that another record (or its old name) already has."""
    record.name = (record.name or "").strip()
    if not record.name:
        raise ValidationError({"name": "Enter a name."})
    holder = org_record_by_name(kind, record.name)
    if holder is not None and holder.pk != record.pk:
        raise ValidationError(
            {"name": f"The {kind.singular} “{holder.name}” already has this name."}, code="unique"
        )


def _check_parent(department: Department) -> None:
    """Refuse a parent that is the department itself or one of its sub-departments."""
    seen = set()
    parent = department.parent
    while parent is not None and parent.pk not in seen:
        if department.pk is not None and parent.pk == department.pk:
            raise ValidationError(
                {"parent": "A department cannot sit below itself or one of its sub-departments."}
            )
        seen.add(parent.pk)
        parent = parent.parent


def _validate(kind: Kind, record: OrgRecord) -> None:
    _check_name(kind, record)
    if kind is DEPARTMENT:
        _check_parent(record)
    record.full_clean(validate_constraints=False)


def org_record_create(
    *, kind: Kind, actor: Actor, created_by_provisioning: bool = False, **fields: Any
) -> OrgRecord:
    """Create a department, location or legal entity and record it in its history."""
    unknown = set(fields) - {"name", *kind.fields}
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    record = kind.model(created_by_provisioning=created_by_provisioning, **fields)
    _validate(kind, record)
    with transaction.atomic():
        record.save()
        _record_change(
            kind,
            record,
            actor,
            ChangeAction.CREATED,
            initial_values(record, ("name", *kind.fields), encoders=_ENCODERS),
        )
    return record


def org_record_update(
    *, kind: Kind, record: OrgRecord, actor: Actor, data: dict[str, Any]
) -> OrgRecord:
    """Change a record's fields; a new name is shown on its employees at once."""
    unknown = set(data) - {"name", *kind.fields}
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = kind.model.objects.select_for_update().get(pk=record.pk)
        changes = apply_changes(locked, data, encoders=_ENCODERS)
        locked.recorded_change = None
        if not changes:
            return locked
        _validate(kind, locked)
        locked.version += 1
        locked.save()
        if "name" in changes:
            Employee.objects.filter(**{kind.employee_fk: locked}).update(
                **{kind.employee_text: locked.name}
            )
        _record_change(
            kind,
            locked,
            actor,
            ChangeAction.UPDATED,
            changes,
        )
    return locked


def _set_archived(kind: Kind, record: OrgRecord, actor: Actor, archived: bool) -> OrgRecord:
    with transaction.atomic():
        locked = kind.model.objects.select_for_update().get(pk=record.pk)
        locked.recorded_change = None
        if locked.is_archived == archived:
            return locked
        locked.archived_at = timezone.now() if archived else None
        locked.version += 1
        locked.save(update_fields=["archived_at", "version", "updated_at"])
        _record_change(
            kind,
            locked,
            actor,
            ChangeAction.UPDATED,
            {"archived": [not archived, archived]},
        )
    return locked


def org_record_archive(*, kind: Kind, record: OrgRecord, actor: Actor) -> OrgRecord:
    """Archive a record: it stays on its employees and in history but is no longer offered.

    A department with sub-departments that are still in use cannot be archived.
    """
    if kind is DEPARTMENT and record.children.filter(archived_at__isnull=True).exists():
        raise ValidationError(
            {"parent": "Archive or move this department's sub-departments first."}
        )
    return _set_archived(kind, record, actor, True)


def org_record_restore(*, kind: Kind, record: OrgRecord, actor: Actor) -> OrgRecord:
    """Bring an archived record back into use."""
    return _set_archived(kind, record, actor, False)


def org_record_merge(
    *, kind: Kind, source: OrgRecord, target: OrgRecord, actor: Actor
) -> OrgRecord:
    """Merge `source` into `target`: its employees move, its names become the target's aliases.

    The source is archived and remembers where it went; both histories record the merge and
    every moved employee's history records the new value.
    """
    if source.pk == target.pk:
        raise ValidationError({"target": f"Choose another {kind.singular} to merge into."})
    if target.is_archived:
        raise ValidationError({"target": f"The {kind.singular} “{target.name}” is archived."})
    with transaction.atomic():
        locked = {
            r.pk: r
            for r in kind.model.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        }
        source, target = locked[source.pk], locked[target.pk]
        moved = list(
            Employee.objects.filter(**{kind.employee_fk: source}).values_list(
                "pk", kind.employee_text
            )
        )
        Employee.objects.filter(pk__in=[pk for pk, _ in moved]).update(
            **{kind.employee_fk: target, kind.employee_text: target.name}
        )
        old_texts: dict[str, list[int]] = {}
        for pk, text in moved:
            old_texts.setdefault(text, []).append(pk)
        for text, pks in old_texts.items():
            if text != target.name:
                change_record_many(
                    EmployeeChange,
                    subject_ids=pks,
                    actor=actor,
                    action=ChangeAction.UPDATED,
                    changes={kind.employee_text: [text, target.name]},
                )
        if kind is DEPARTMENT:
            Department.objects.filter(parent=source).update(parent=target)
        old_names = [source.name, *source.aliases.values_list("name", flat=True)]
        source.aliases.update(record=target)
        kind.alias_model.objects.create(record=target, name=source.name)
        source.merged_into = target
        source.archived_at = timezone.now()
        source.version += 1
        source.save()
        _record_change(
            kind,
            source,
            actor,
            ChangeAction.UPDATED,
            {"merged_into": [None, target.name], "archived": [False, True]},
        )
        target.version += 1
        target.save(update_fields=["version", "updated_at"])
        _record_change(
            kind,
            target,
            actor,
            ChangeAction.UPDATED,
            {
                "aliases": {"count": len(old_names), "user_names": old_names},
                "employees": {"count": len(moved)},
            },
        )
    return target


class ProvisioningRefused(Exception):
    """An unknown name arrived by provisioning and owners turned record creation off."""


def org_record_resolve(*, kind: Kind, name: str, actor: Actor) -> OrgRecord | None:
    """Return the record a name (or old name) refers to, creating it for provisioning.

    An empty name is None. An unknown name creates a record marked "created by provisioning",
    unless owners turned that off (ProvisioningRefused).
    """
    if not normalise_name(name):
        return None
    record = org_record_by_name(kind, name)
    if record is not None:
        return record
    if not organisation_settings().provisioning_creates_records:
        raise ProvisioningRefused(name)
    return _create_unless_taken(kind, name, actor, created_by_provisioning=True)


def _create_unless_taken(
    kind: Kind, name: str, actor: Actor, *, created_by_provisioning: bool = False
) -> OrgRecord:
    """Create the record for a name; if another request created it meanwhile, return theirs.

    Two requests naming the same new department at once both find none; the second INSERT
    waits for the first to commit and then breaks the unique index. Its savepoint rolls back
    and the record the first one committed is read instead of answering an error.
    """
    try:
        with transaction.atomic():
            return org_record_create(
                kind=kind,
                actor=actor,
                created_by_provisioning=created_by_provisioning,
                name=name.strip(),
            )
    except (IntegrityError, ValidationError):
        record = org_record_by_name(kind, name)
        if record is None:
            raise
        return record


def org_record_link(*, kind: Kind, name: str, actor: Actor) -> OrgRecord | None:
    """Return the record for a name written as text by HR or the API, creating an unknown one.

    Provisioning resolves names with org_record_resolve() instead, which honours the owners'
    setting and marks what it creates.
    """
    if not normalise_name(name):
        return None
    return org_record_by_name(kind, name) or _create_unless_taken(kind, name, actor)


def organisation_settings_update(*, provisioning_creates_records: bool) -> OrganisationSettings:
    """Save the owner's organisation settings."""
    settings_row = organisation_settings()
    settings_row.provisioning_creates_records = provisioning_creates_records
    settings_row.save()
    return settings_row
