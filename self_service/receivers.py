"""Reactions to changes of the employee record, inside the writing transaction.

The employees app knows nothing of self-service: its history entries (`EmployeeChange`) are
announced by `audit.signals.change_recorded`, whichever channel made them (HR, SCIM, API).
"""

from __future__ import annotations

from typing import Any

from audit.models import ChangeAction
from employees.models import EmployeeChange
from self_service.services import change_requests_close_for_deleted


def employee_change_recorded(sender: Any, records: list, **kwargs: Any) -> None:
    """Reject a deleted employee's waiting changes; other changes cost nothing."""
    if sender is not EmployeeChange:
        return
    for record in records:
        if record.action == ChangeAction.DELETED:
            change_requests_close_for_deleted(
                employee_id=record.employee_id, user=record.actor_user
            )
