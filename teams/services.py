"""Writes to teams. Membership changes are bulk operations: a constant number of queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.actor import Actor
from audit.diff import apply_changes
from audit.models import ChangeAction, Channel
from audit.services import change_record
from employees.models import Employee
from employees.selectors import employee_team_options_forget
from employees.services import VersionConflict
from teams.models import Team, TeamChange, TeamMembership

EDITABLE_FIELDS = ("display_name", "external_id")
# How many user names a history entry lists for one membership change; the count is exact.
HISTORY_NAMES = 100
DUPLICATE_NAME = "A team with this name already exists."


def _resolve_members(public_ids: Iterable[str], *, include_deleted: bool = False) -> dict[int, str]:
    """Map employee public ids to {pk: user_name} in one query; refuse unknown (or deleted) ids."""
    wanted: dict[str, uuid.UUID | None] = {}
    for value in public_ids:
        raw = str(value).strip()
        try:
            wanted[raw] = uuid.UUID(raw)
        except ValueError:
            wanted[raw] = None
    keys = {key for key in wanted.values() if key is not None}
    found: dict[uuid.UUID, tuple[int, str]] = {}
    if keys:
        employees = Employee.objects.filter(public_id__in=keys)
        if not include_deleted:
            employees = employees.filter(deleted_at__isnull=True)
        rows = employees.values_list("public_id", "pk", "user_name")
        found = {public_id: (pk, user_name) for public_id, pk, user_name in rows}
    missing = sorted(raw for raw, key in wanted.items() if key not in found)
    if missing:
        raise ValidationError(
            {"members": f"No employee has the id {', '.join(missing[:5])}."}, code="invalid"
        )
    return dict(found.values())


def _members_change(added: dict[int, str], removed: dict[int, str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if added:
        changes["members_added"] = {
            "count": len(added),
            "user_names": sorted(added.values())[:HISTORY_NAMES],
        }
    if removed:
        changes["members_removed"] = {
            "count": len(removed),
            "user_names": sorted(removed.values())[:HISTORY_NAMES],
        }
    return changes


def _lock(team: Team, expected_version: int | None) -> Team:
    locked = Team.objects.select_for_update().get(pk=team.pk, deleted_at__isnull=True)
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict
    return locked


def _save(team: Team, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            team.save(**kwargs)
    except IntegrityError as exc:
        if "team_display_name_ci_unique" in str(exc):
            raise ValidationError(
                {"display_name": ValidationError(DUPLICATE_NAME, code="unique")}
            ) from None
        raise


def _validate(team: Team, changed: set[str]) -> None:
    exclude = {field.name for field in Team._meta.concrete_fields} - changed
    try:
        team.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = exc.error_dict
        # The case-insensitive name constraint reports on the whole team: name the field.
        for error in errors.pop(NON_FIELD_ERRORS, []):
            duplicate = DUPLICATE_NAME in error.messages
            errors.setdefault("display_name" if duplicate else NON_FIELD_ERRORS, []).append(
                ValidationError(error.messages[0], code="unique" if duplicate else error.code)
            )
        raise ValidationError(errors) from None


def _add(team: Team, pks: dict[int, str]) -> dict[int, str]:
    existing = set(
        TeamMembership.objects.filter(team=team, employee_id__in=list(pks)).values_list(
            "employee_id", flat=True
        )
    )
    added = {pk: name for pk, name in pks.items() if pk not in existing}
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=team, employee_id=pk) for pk in added], ignore_conflicts=True
    )
    return added


def _remove(team: Team, pks: dict[int, str]) -> dict[int, str]:
    existing = set(
        TeamMembership.objects.filter(team=team, employee_id__in=list(pks)).values_list(
            "employee_id", flat=True
        )
    )
    TeamMembership.objects.filter(team=team, employee_id__in=existing).delete()
    return {pk: name for pk, name in pks.items() if pk in existing}


def _touch(team: Team, actor: Actor, fields: list[str]) -> None:
    team.version += 1
    update_fields = [*fields, "version", "updated_at"]
    if actor.channel == Channel.SCIM:
        team.last_synced_at = timezone.now()
        update_fields.append("last_synced_at")
    _save(team, update_fields=update_fields)


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    display_name: str,
    external_id: str = "",
    member_ids: Iterable[str] = (),
) -> Team:
    """Create a team, optionally with members given by employee public ids."""
    members = _resolve_members(member_ids)
    team = Team(display_name=display_name, external_id=external_id)
    if actor.channel == Channel.SCIM:
        team.last_synced_at = timezone.now()
    _validate(team, {"display_name", "external_id"})
    _save(team)
    added = _add(team, members) if members else {}
    changes: dict[str, Any] = {"display_name": [None, display_name]}
    if external_id:
        changes["external_id"] = [None, external_id]
    changes.update(_members_change(added, {}))
    change_record(
        TeamChange, subject=team, actor=actor, action=ChangeAction.CREATED, changes=changes
    )
    # The directory's Team filter lists teams from the cache; show this one at once.
    transaction.on_commit(employee_team_options_forget)
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    actor: Actor,
    data: Mapping[str, Any] | None = None,
    add_member_ids: Iterable[str] = (),
    remove_member_ids: Iterable[str] = (),
    set_member_ids: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> Team:
    """Change a team's fields and members in one transaction and one history entry.

    set_member_ids replaces the whole membership; add and remove apply after it, in that
    order, so that a PATCH's operations can be collected and applied together. The returned
    team carries its history entry in `recorded_change` (None when nothing changed) and the
    changes in `recorded_changes`.
    """
    data = dict(data or {})
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = _lock(team, expected_version)
    changes: dict[str, Any] = apply_changes(locked, data)
    if changes:
        _validate(locked, set(changes))

    added: dict[int, str] = {}
    removed: dict[int, str] = {}
    if set_member_ids is not None:
        wanted = _resolve_members(set_member_ids)
        current = dict(
            TeamMembership.objects.filter(
                team=locked, employee__deleted_at__isnull=True
            ).values_list("employee_id", "employee__user_name")
        )
        removed.update(_remove(locked, {pk: n for pk, n in current.items() if pk not in wanted}))
        added.update(_add(locked, wanted))
    to_add = _resolve_members(add_member_ids) if add_member_ids else {}
    # A deleted employee may still be removed: the identity provider tidies up after a delete.
    to_remove = (
        _resolve_members(remove_member_ids, include_deleted=True) if remove_member_ids else {}
    )
    if to_add:
        newly = _add(locked, to_add)
        added.update(newly)
        for pk in newly:
            removed.pop(pk, None)
    if to_remove:
        gone = _remove(locked, to_remove)
        removed.update(gone)
        for pk in gone:
            added.pop(pk, None)
    changes.update(_members_change(added, removed))
    if not changes:
        if actor.channel == Channel.SCIM:
            locked.last_synced_at = timezone.now()
            locked.save(update_fields=["last_synced_at"])
        return locked
    _touch(locked, actor, [field for field in data if field in changes])
    change_record(
        TeamChange, subject=locked, actor=actor, action=ChangeAction.UPDATED, changes=changes
    )
    if "display_name" in changes:
        transaction.on_commit(employee_team_options_forget)
    return locked


@transaction.atomic
def team_delete(*, team: Team, actor: Actor) -> Team:
    """Soft-delete a team: gone for SCIM and lists, kept with its history."""
    locked = _lock(team, None)
    locked.deleted_at = timezone.now()
    _touch(locked, actor, ["deleted_at"])
    count = TeamMembership.objects.filter(team=locked).count()
    TeamMembership.objects.filter(team=locked).delete()
    changes = {
        "deleted_at": [None, locked.deleted_at.isoformat()],
        "members_removed": {"count": count},
    }
    change_record(
        TeamChange, subject=locked, actor=actor, action=ChangeAction.DELETED, changes=changes
    )
    transaction.on_commit(employee_team_options_forget)
    return locked
