"""Reactions to changes of the employee record, inside the writing transaction.

The employees app knows nothing of photos: its history entries (`EmployeeChange`) are
announced by `audit.signals.change_recorded`, whichever channel made them (HR, SCIM, API).
"""

from __future__ import annotations

from typing import Any

from audit.actor import Actor
from audit.models import ChangeAction
from employees.models import EmployeeChange
from photos.services import employee_photo_remove


def employee_change_recorded(sender: Any, records: list, **kwargs: Any) -> None:
    """Remove a deleted employee's photo: nothing shows it any more (files go on commit)."""
    if sender is not EmployeeChange:
        return
    for record in records:
        if record.action == ChangeAction.DELETED and record.employee.photo_version:
            actor = Actor(channel=record.channel, user=record.actor_user, token=record.actor_token)
            employee_photo_remove(employee=record.employee, actor=actor)
