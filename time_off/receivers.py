"""Reactions to changes of the employee record, inside the writing transaction.

The employees app knows nothing of time off: its history entries (`EmployeeChange`) are
announced by `audit.signals.change_recorded`, whichever channel made them (HR, SCIM, API).
"""

from __future__ import annotations

from typing import Any

from audit.actor import Actor
from audit.models import ChangeAction
from employees.models import Employee, EmployeeChange
from time_off import services
from time_off.models import Status, TimeOffRequest


def employee_change_recorded(sender: Any, records: list, **kwargs: Any) -> None:
    """Move pending requests to the new approver; close a leaver's requests."""
    if sender is not EmployeeChange:
        return
    moved: set[int] = set()
    for record in records:
        actor = Actor(channel=record.channel, user=record.actor_user, token=record.actor_token)
        if "manager" in record.changes:
            moved.add(record.employee_id)
        if record.action in (
            ChangeAction.DEACTIVATED,
            ChangeAction.DELETED,
            ChangeAction.REACTIVATED,
        ):
            # The person's reports now go to HR (or back to them when reactivated).
            moved.update(
                TimeOffRequest.objects.filter(
                    status=Status.PENDING, employee__manager_id=record.employee_id
                ).values_list("employee_id", flat=True)
            )
            if record.action != ChangeAction.REACTIVATED:
                employee = Employee.objects.get(pk=record.employee_id)
                services.requests_close_for_leaver(employee=employee, actor=actor)
        if moved:
            services.requests_reassign(employee_ids=sorted(moved), actor=actor)
            moved.clear()
