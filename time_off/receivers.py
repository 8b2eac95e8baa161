"""Reactions to changes of the employee record, inside the writing transaction.

The employees app knows nothing of time off: its history entries (`EmployeeChange`) are
announced by `audit.signals.change_recorded`, whichever channel made them (HR, SCIM, API).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from audit.actor import Actor
from audit.models import ChangeAction
from employees.models import Employee, EmployeeChange
from time_off import attachments, services
from time_off.models import OPEN_STATUSES, Status, TimeOffRequest

# A person made inactive (or active again) changes who approves their reports' requests.
_ACCESS_ACTIONS = (ChangeAction.DEACTIVATED, ChangeAction.DELETED, ChangeAction.REACTIVATED)


def employee_change_recorded(sender: Any, records: list, **kwargs: Any) -> None:
    """Move pending requests to the new approver; close a leaver's requests.

    Most changes concern neither a manager nor `active`, and cost nothing; those that do
    cost one query when no request is concerned.
    """
    if sender is not EmployeeChange:
        return
    concerned = [
        record
        for record in records
        if "manager" in record.changes or record.action in _ACCESS_ACTIONS
    ]
    if not concerned:
        return
    people = {record.employee_id for record in concerned}
    managers = {record.employee_id for record in concerned if record.action in _ACCESS_ACTIONS}
    concerning = Q(employee_id__in=people, status__in=OPEN_STATUSES)
    if managers:
        # Only then does the query need to join the employees (a new manager alone does not).
        concerning |= Q(employee__manager_id__in=managers, status=Status.PENDING)
    if not TimeOffRequest.objects.filter(concerning).exists():
        return
    for record in concerned:
        actor = Actor(channel=record.channel, user=record.actor_user, token=record.actor_token)
        moved: set[int] = set()
        if "manager" in record.changes:
            moved.add(record.employee_id)
        if record.action in _ACCESS_ACTIONS:
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


def request_deleted(sender: Any, instance: TimeOffRequest, using: str, **kwargs: Any) -> None:
    """Remove a deleted request's attached file from storage once the deletion commits.

    A signal rather than a service: requests also go when their employee row is deleted
    (a cascade no service sees). After commit, so that a rolled-back deletion keeps its file.
    """
    if instance.attachment:
        name = instance.attachment
        transaction.on_commit(lambda: attachments.delete(name), using=using)


def demo_seeded(sender: Any, rng: Any, **kwargs: Any) -> str:
    """Add the demo's time off after `seed_demo` built the organisation; say what it took."""
    import time

    from time_off.demo import seed_time_off

    started = time.monotonic()
    requests = seed_time_off(rng=rng)
    return (
        f"Added time off (leave types, policies, holidays, balances and {requests} requests) "
        f"in {time.monotonic() - started:.1f} s."
    )
