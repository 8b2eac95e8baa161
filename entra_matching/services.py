"""Writes of the Entra matching preview: keep an uploaded list, and the one-click fixes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from audit.actor import Actor
from audit.models import Channel
from employees.models import Employee
from employees.services import employee_update
from entra_matching.models import EntraUserList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# How many uploaded lists are kept; older ones are deleted when a new one arrives.
KEPT_LISTS = 10
FIXES = {
    "user_name": ("upn", "user name"),
    "external_id": ("object_id", "externalId"),
}


def entra_user_list_create(*, users: list[dict], source: str, user: User) -> EntraUserList:
    """Keep an uploaded or pasted list of Entra users (the most recent ten are kept)."""
    user_list = EntraUserList.objects.create(users=users, source=source[:255], uploaded_by=user)
    old = EntraUserList.objects.values_list("pk", flat=True)[KEPT_LISTS:]
    EntraUserList.objects.filter(pk__in=list(old)).delete()
    return user_list


def entra_match_fix(
    *, user_list: EntraUserList, index: int, employee: Employee, fix: str, user: User
) -> Employee:
    """Give an employee the Entra user's UPN as user name (or its object id as externalId),
    so that Entra's first cycle finds them; an owner's explicit act, recorded in history.

    The value comes from the uploaded list, never from the request.
    """
    if fix not in FIXES:
        raise ValidationError("Unknown fix.")
    if not 0 <= index < len(user_list.users):
        raise ValidationError("This Entra user is not in the list.")
    key, label = FIXES[fix]
    value = user_list.users[index].get(key, "")
    if not value:
        raise ValidationError(f"The Entra user has no {label} in the list.")
    return employee_update(
        employee=employee, actor=Actor(channel=Channel.WEB, user=user), data={fix: value}
    )
