"""Linking a sign-in account to an employee, and unlinking it: an owner's act, recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import OWNER, is_owner
from accounts.services import hr_admin_on_account_link
from audit.actor import Actor
from audit.models import ChangeAction
from audit.services import change_record
from employees.models import Employee, EmployeeChange
from employees.services import _locked

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def account_link_problem(*, employee: Employee, user: User) -> str:
    """Return why this sign-in account may not be linked to this employee, or "" if it may.

    Owner and superuser accounts are never linked: anyone whom the employee record names
    (its user name and work email are HR's to edit) could then sign in with their rights.
    """
    if user.is_superuser or user.groups.filter(name=OWNER).exists():
        return "Owner and superuser accounts are never linked to an employee."
    if employee.user_id == user.pk:
        return "This account is already linked to this employee."
    if employee.user_id is not None:
        return "The employee already has a sign-in account; unlink it first."
    if Employee.objects.filter(user=user).exclude(pk=employee.pk).exists():
        return "This account is already linked to another employee."
    if not employee.active:
        return "The employee is inactive; reactivate them first."
    return ""


def _account_set(employee: Employee, user: User | None, actor: Actor) -> Employee:
    if actor.user is None or not is_owner(actor.user):
        raise PermissionDenied("Only owners link and unlink sign-in accounts.")
    with transaction.atomic():
        locked = _locked(employee, already=False)
        old = Employee.objects.filter(pk=locked.pk).values_list("user__username", flat=True)[0]
        if user is not None and (problem := account_link_problem(employee=locked, user=user)):
            raise ValidationError({"user": [problem]})
        if user is None and locked.user_id is None:
            return locked
        locked.user = user
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save(update_fields=["user", "version", "updated_at"])
        except IntegrityError:
            raise ValidationError(
                {"user": ["This account is already linked to another employee."]}
            ) from None
        changes = {"user": [old, user.username if user else None]}
        change_record(
            EmployeeChange,
            subject=locked,
            actor=actor,
            action=ChangeAction.UPDATED,
            changes=changes,
        )
        if user is not None:
            # Roles Entra assigned before the account was linked take effect now.
            hr_admin_on_account_link(user=user, roles=locked.entra_roles)
    return locked


def employee_account_link(*, employee: Employee, user: User, actor: Actor) -> Employee:
    """Link an existing sign-in account to an employee: an owner's explicit act, recorded.

    Single sign-on never links an existing account by itself; this is the only way.
    """
    return _account_set(employee, user, actor)


def employee_account_unlink(*, employee: Employee, actor: Actor) -> Employee:
    """Unlink an employee's sign-in account (the account stays); an owner's act, recorded."""
    return _account_set(employee, None, actor)
