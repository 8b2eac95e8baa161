"""React to recorded employee changes: joiners, movers and leavers start their checklists.

Connected to audit.signals.change_recorded, so that every channel (HR web app, import, SCIM,
API, admin) starts them alike and the employees app knows nothing of checklists.
"""

from __future__ import annotations

from typing import Any

from audit.actor import Actor
from audit.models import ChangeAction
from checklists.selectors import template_kinds_in_use
from checklists.services import (
    MOVER_FIELDS,
    access_end_undo,
    checklist_tasks_follow_manager,
    checklists_for_employee_change,
    checklists_for_undone_leave,
)
from employees.models import Employee

EMPLOYEE_HISTORY = "employees.EmployeeChange"
TRIGGER_FIELDS = {"start_date", "end_date", *MOVER_FIELDS}


def _may_undo(record: Any) -> bool:
    """Whether the change may undo a leave (rare: a reactivation, an end date removed)."""
    if record.action == ChangeAction.REACTIVATED:
        return True
    end = record.changes.get("end_date")
    return record.action == ChangeAction.UPDATED and end is not None and end[1] is None


def _may_start(record: Any) -> bool:
    if record.action != ChangeAction.UPDATED:
        return record.action != ChangeAction.REACTIVATED
    return bool(TRIGGER_FIELDS & set(record.changes))


def employee_change_recorded(sender: Any, records: list, **kwargs: Any) -> None:
    """Start or move checklists for the employee changes that call for them (same transaction)."""
    if sender._meta.label != EMPLOYEE_HISTORY:
        return
    for record in records:
        if record.action == ChangeAction.UPDATED and "end_date" in record.changes:
            # HR cleared or moved the end date: access the end-date job ended comes back.
            employee = record.employee if sender.employee.is_cached(record) else None
            if employee is not None and employee.active and employee.user_id is not None:
                access_end_undo(employee=employee)
        if record.action == ChangeAction.UPDATED and "manager" in record.changes:
            # Also while no template is in use: checklists started earlier still run.
            employee = record.employee if sender.employee.is_cached(record) else None
            checklist_tasks_follow_manager(
                employee=employee or Employee.objects.get(pk=record.employee_id),
                actor=Actor(
                    channel=record.channel, user=record.actor_user, token=record.actor_token
                ),
            )
        if _may_undo(record):
            # Also while no template is in use: checklists started earlier still run.
            employee = record.employee if sender.employee.is_cached(record) else None
            checklists_for_undone_leave(
                employee=employee or Employee.objects.get(pk=record.employee_id), change=record
            )
    if not template_kinds_in_use.get():
        return
    records = [record for record in records if _may_start(record)]
    if not records:
        return
    # One change records its employee on the entry; a change to many (reports losing a
    # deleted manager) names them by id.
    missing = [r.employee_id for r in records if not sender.employee.is_cached(r)]
    employees = Employee.objects.in_bulk(missing) if missing else {}
    for record in records:
        employee = employees.get(record.employee_id) or record.employee
        checklists_for_employee_change(employee=employee, change=record)
