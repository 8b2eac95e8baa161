"""Writes to roles: the Entra role mapping, and HR admin granted or removed from Entra roles."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import EntraRoleMapping
from accounts.roles import HR_ADMIN, OWNER
from accounts.selectors import entra_role_mapping_get
from audit.actor import Actor
from audit.models import ChangeAction, Channel
from audit.services import change_record, change_record_many

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

MAX_ROLE_VALUES = 50
# The change history key of an HR admin role granted or removed from Entra roles.
HR_ADMIN_HISTORY_KEY = "hr_admin_role"
MAX_ROLE_VALUE_LENGTH = 120


def entra_role_mapping_update(
    *, enabled: bool, hr_admin_values: list[str], updated_by: User
) -> EntraRoleMapping:
    """Save which Entra app role values grant HR admin, and whether the mapping is on."""
    values: list[str] = []
    for value in (v.strip() for v in hr_admin_values):
        if not value:
            continue
        if len(value) > MAX_ROLE_VALUE_LENGTH:
            raise ValidationError(
                {"hr_admin_values": [f"Keep each value to {MAX_ROLE_VALUE_LENGTH} characters."]}
            )
        if value.lower() in (v.lower() for v in values):
            continue
        values.append(value)
    if len(values) > MAX_ROLE_VALUES:
        raise ValidationError({"hr_admin_values": [f"Give at most {MAX_ROLE_VALUES} values."]})
    if enabled and not values:
        raise ValidationError(
            {"hr_admin_values": ["Give at least one Entra app role value to turn this on."]}
        )
    with transaction.atomic():
        mapping, _ = EntraRoleMapping.objects.select_for_update().get_or_create(
            pk=EntraRoleMapping.SINGLETON_ID
        )
        before = EntraRoleMapping(enabled=mapping.enabled, hr_admin_values=mapping.hr_admin_values)
        mapping.enabled = enabled
        mapping.hr_admin_values = values
        mapping.updated_by = updated_by
        mapping.save()
        _apply_mapping_change(before, mapping, Actor(channel=Channel.WEB, user=updated_by))
    logger.info(
        "entra role mapping updated by user=%s enabled=%s values=%d",
        updated_by.pk,
        enabled,
        len(values),
    )
    return mapping


def _apply_mapping_change(
    before: EntraRoleMapping, after: EntraRoleMapping, actor: Actor
) -> tuple[int, int]:
    """Grant or remove HR admin where a new mapping reads the roles Entra sent differently.

    Entra sends roles only when they change, so the roles already kept decide at once: an
    employee whose roles now include a mapped value gets HR admin, one whose roles matched
    the old mapping and not the new one loses it. Returns (granted, removed).
    """
    user_model = get_user_model()
    employee_model = user_model._meta.get_field("employee").related_model
    history_model = employee_model._meta.get_field("changes").related_model
    group = Group.objects.get(name=HR_ADMIN)
    holders = set(group.user_set.values_list("pk", flat=True))
    grant: dict[int, int] = {}
    remove: dict[int, int] = {}
    rows = (
        employee_model.objects.filter(user__isnull=False, user__is_active=True)
        .exclude(entra_roles=[])
        .values_list("pk", "user_id", "entra_roles")
    )
    for employee_id, user_id, roles in rows.iterator(chunk_size=2000):
        names = [str(role.get("value", "")) for role in roles or ()]
        was, now = before.grants_hr_admin(names), after.grants_hr_admin(names)
        if now and not was and user_id not in holders:
            grant[user_id] = employee_id
        elif was and not now and user_id in holders:
            remove[user_id] = employee_id
    if grant:
        group.user_set.add(*grant)
        change_record_many(
            history_model,
            subject_ids=grant.values(),
            actor=actor,
            action=ChangeAction.UPDATED,
            changes={HR_ADMIN_HISTORY_KEY: [False, True]},
        )
    if remove:
        group.user_set.remove(*remove)
        change_record_many(
            history_model,
            subject_ids=remove.values(),
            actor=actor,
            action=ChangeAction.UPDATED,
            changes={HR_ADMIN_HISTORY_KEY: [True, False]},
        )
    if grant or remove:
        logger.info("entra role mapping: hr admin granted=%d removed=%d", len(grant), len(remove))
    return len(grant), len(remove)


def hr_admin_role_set(*, user: User, granted: bool) -> bool:
    """Grant or remove the HR admin role of a login account; return whether it changed.

    Only the HR admin group moves: the Owner role and superuser status are never granted or
    removed here, whatever an identity provider sends.
    """
    group = Group.objects.get(name=HR_ADMIN)
    has = user.groups.filter(pk=group.pk).exists()
    if has == granted:
        return False
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_alexis_group_names", None)
    logger.info(
        "hr admin role %s for user=%s (owner=%s)",
        "granted" if granted else "removed",
        user.pk,
        user.groups.filter(name=OWNER).exists(),
    )
    return True


def hr_admin_from_entra_roles(sender: Any, records: list[Any], **kwargs: Any) -> None:
    """Grant or remove HR admin when the Entra app roles recorded on an employee change.

    Connected to audit's change_recorded. Acts on a change of whether the employee's roles
    include a mapped one: gaining one grants HR admin, losing one (a replace from Entra)
    removes it; any other change of roles leaves the role as it is, so that HR admin given
    in Alexis is not taken by an unrelated role. An employee with no login account yet gets
    the role when the account is linked (hr_admin_on_account_link).
    """
    for record in records:
        if getattr(record, "subject_field", None) != "employee":
            continue
        change = record.changes.get("entra_roles")
        if not change:
            continue
        mapping = entra_role_mapping_get()
        old, new = (change[0] or []), (change[1] or [])
        granted = mapping.grants_hr_admin(new)
        if mapping.grants_hr_admin(old) == granted:
            continue
        employee = getattr(record, record.subject_field)
        if employee.user_id is None:
            continue
        if hr_admin_role_set(user=employee.user, granted=granted):
            actor = Actor(channel=record.channel, user=record.actor_user, token=record.actor_token)
            change_record(
                type(record),
                subject=employee,
                actor=actor,
                action=ChangeAction.UPDATED,
                changes={HR_ADMIN_HISTORY_KEY: [not granted, granted]},
            )


def hr_admin_on_account_link(*, user: User, roles: list[dict]) -> bool:
    """Grant HR admin to a newly linked login account whose Entra roles include a mapped one."""
    mapping = entra_role_mapping_get()
    if not mapping.grants_hr_admin([str(role.get("value", "")) for role in roles or ()]):
        return False
    return hr_admin_role_set(user=user, granted=True)
