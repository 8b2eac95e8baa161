"""Writes of checklists: templates (versioned), starting checklists from employee events,
moving due dates, completing tasks, cancelling, and ending a leaver's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.actor import Actor
from audit.models import ChangeAction, Channel
from audit.services import change_record
from checklists.models import (
    AssigneeRole,
    Checklist,
    ChecklistChange,
    ChecklistKind,
    ChecklistStatus,
    ChecklistTask,
    ChecklistTaskChange,
    ChecklistTemplate,
    EndOfAccess,
    TemplateTask,
)
from checklists.selectors import task_can_complete, templates_matching
from employees.models import Employee
from notifications.services import notify


class Action:
    """What a checklist's or task's history records (webhook events `checklist.started`, ...)."""

    STARTED = "started"
    DATES_MOVED = "dates_moved"
    REASSIGNED = "reassigned"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


# Fields of an employee whose change makes them a "mover" (history keys of EmployeeChange).
MOVER_FIELDS = ("manager", "department", "title", "organization")

# ---------------------------------------------------------------------------------------------
# Templates


TEMPLATE_FIELDS = ("name", "kind", "active", "employment_types")
TEMPLATE_CONDITIONS = ("legal_entities", "locations", "departments")
TASK_FIELDS = (
    "title",
    "description",
    "assignee_role",
    "assignee_employee",
    "assignee_team",
    "offset_days",
)


def checklist_template_create(*, actor: Actor, **fields: Any) -> ChecklistTemplate:
    """Create a template (version 1) with its conditions."""
    conditions = {name: fields.pop(name, []) for name in TEMPLATE_CONDITIONS}
    template = ChecklistTemplate(**fields)
    template.full_clean()
    with transaction.atomic():
        template.save()
        for name, values in conditions.items():
            getattr(template, name).set(values)
    return template


def checklist_template_update(
    *, template: ChecklistTemplate, actor: Actor, data: dict[str, Any]
) -> ChecklistTemplate:
    """Change a template's name, conditions or use; a new version when anything changed."""
    data = dict(data)
    conditions = {name: data.pop(name) for name in TEMPLATE_CONDITIONS if name in data}
    changed = False
    for field, value in data.items():
        if getattr(template, field) != value:
            setattr(template, field, value)
            changed = True
    for name, values in conditions.items():
        if {obj.pk for obj in values} != set(getattr(template, name).values_list("pk", flat=True)):
            changed = True
    template.full_clean()
    with transaction.atomic():
        if changed:
            template.version = F("version") + 1
        template.save()
        for name, values in conditions.items():
            getattr(template, name).set(values)
    template.refresh_from_db()
    return template


def _check_task(task: TemplateTask) -> None:
    errors = {}
    if task.assignee_role == AssigneeRole.PERSON and task.assignee_employee is None:
        errors["assignee_employee"] = ["Choose the person who does this task."]
    if task.assignee_role == AssigneeRole.TEAM and task.assignee_team is None:
        errors["assignee_team"] = ["Choose the team that does this task."]
    if abs(task.offset_days) > 365:
        errors["offset_days"] = ["Give at most 365 days before or after."]
    if errors:
        raise ValidationError(errors)
    if task.assignee_role != AssigneeRole.PERSON:
        task.assignee_employee = None
    if task.assignee_role != AssigneeRole.TEAM:
        task.assignee_team = None


def template_task_save(
    *, template: ChecklistTemplate, actor: Actor, task: TemplateTask | None = None, **fields: Any
) -> TemplateTask:
    """Add a task to a template or change one; the template gets a new version."""
    if task is None:
        last = template.tasks.order_by("-position").values_list("position", flat=True).first()
        task = TemplateTask(template=template, position=(last or 0) + 1)
    for field, value in fields.items():
        setattr(task, field, value)
    task.full_clean()
    _check_task(task)
    with transaction.atomic():
        task.save()
        ChecklistTemplate.objects.filter(pk=template.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    return task


def template_task_delete(*, task: TemplateTask, actor: Actor) -> None:
    """Remove a task from a template; the template gets a new version."""
    with transaction.atomic():
        ChecklistTemplate.objects.filter(pk=task.template_id).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        task.delete()


# ---------------------------------------------------------------------------------------------
# Starting checklists


def _assignee(task: TemplateTask, employee: Employee) -> tuple[str, int | None, int | None]:
    """Return (role, person id, team id) for a task of this employee's checklist.

    A manager task for someone without a manager goes to HR rather than to nobody.
    """
    role = task.assignee_role
    if role == AssigneeRole.EMPLOYEE:
        return role, employee.pk, None
    if role == AssigneeRole.MANAGER:
        if employee.manager_id is None:
            return AssigneeRole.HR, None, None
        return role, employee.manager_id, None
    if role == AssigneeRole.PERSON:
        if task.assignee_employee_id is None:
            return AssigneeRole.HR, None, None
        return role, task.assignee_employee_id, None
    if role == AssigneeRole.TEAM:
        if task.assignee_team_id is None:
            return AssigneeRole.HR, None, None
        return role, None, task.assignee_team_id
    return role, None, None


def _due(anchor: dt.date, offset_days: int) -> dt.date:
    return anchor + dt.timedelta(days=offset_days)


def checklist_start(
    *,
    employee: Employee,
    template: ChecklistTemplate,
    event_key: str,
    anchor_date: dt.date,
    anchor_known: bool,
    actor: Actor,
) -> Checklist | None:
    """Start a checklist from a template for one event; None if that event already has one.

    The unique (employee, template, event) constraint is the rule: a repeated or concurrent
    event finds the first checklist and starts nothing (the savepoint keeps the caller's
    transaction usable).
    """
    if Checklist.objects.filter(employee=employee, template=template, event_key=event_key).exists():
        return None
    template_tasks = list(template.tasks.all())
    try:
        with transaction.atomic():
            checklist = Checklist.objects.create(
                employee=employee,
                template=template,
                template_version=template.version,
                name=template.name,
                kind=template.kind,
                event_key=event_key,
                anchor_date=anchor_date,
                anchor_known=anchor_known,
                trigger_channel=actor.channel,
                task_count=len(template_tasks),
            )
    except IntegrityError:
        return None
    tasks = []
    for task in template_tasks:
        role, person, team = _assignee(task, employee)
        tasks.append(
            ChecklistTask(
                checklist=checklist,
                title=task.title,
                description=task.description,
                assignee_role=role,
                assignee_employee_id=person,
                assignee_team_id=team,
                for_manager=task.assignee_role == AssigneeRole.MANAGER,
                offset_days=task.offset_days,
                due_date=_due(anchor_date, task.offset_days),
                position=task.position,
            )
        )
    ChecklistTask.objects.bulk_create(tasks)
    changes = {
        "employee": [None, employee.user_name],
        "template": [None, f"{template.name} (version {template.version})"],
        "anchor_date": [None, anchor_date.isoformat()],
    }
    change_record(
        ChecklistChange, subject=checklist, actor=actor, action=Action.STARTED, changes=changes
    )
    if tasks:
        notify(
            kind="checklists.task_assigned",
            params={"checklist_id": checklist.pk},
            key=f"checklist-{checklist.pk}-assigned",
        )
    else:
        _complete_if_done(checklist, actor)
    return checklist


def checklist_dates_move(*, checklist: Checklist, anchor_date: dt.date, actor: Actor) -> Checklist:
    """Count a running checklist's open tasks from a new start or end date."""
    if not checklist.is_running or (
        checklist.anchor_known and checklist.anchor_date == anchor_date
    ):
        return checklist
    old = checklist.anchor_date
    checklist.anchor_date = anchor_date
    checklist.anchor_known = True
    checklist.save(update_fields=["anchor_date", "anchor_known"])
    tasks = list(checklist.tasks.filter(is_open=True))
    for task in tasks:
        task.due_date = _due(anchor_date, task.offset_days)
    ChecklistTask.objects.bulk_update(tasks, ["due_date"])
    change_record(
        ChecklistChange,
        subject=checklist,
        actor=actor,
        action=Action.DATES_MOVED,
        changes={"anchor_date": [old.isoformat(), anchor_date.isoformat()]},
    )
    return checklist


def checklist_tasks_follow_manager(*, employee: Employee, actor: Actor) -> int:
    """Give the open manager tasks of an employee's running checklists to their manager now.

    Entra creates a joiner first and sets the manager in a later PATCH, so tasks that started
    with HR (no manager yet) reach the manager then; a new manager takes over from the old
    one. Each checklist records the handover in its history. Returns the tasks moved.
    """
    role, person = (
        (AssigneeRole.HR, None)
        if employee.manager_id is None
        else (AssigneeRole.MANAGER, employee.manager_id)
    )
    # Usually nothing is to move (no running checklist, or its tasks are with the right
    # person): read only ids, the cheapest query to build and to answer.
    tasks = (
        ChecklistTask.objects.filter(
            checklist__employee=employee,
            checklist__status=ChecklistStatus.RUNNING,
            for_manager=True,
            is_open=True,
        )
        .exclude(assignee_role=role, assignee_employee_id=person)
        .order_by()
        .values_list("pk", "checklist_id", "assignee_employee_id")
    )
    moved: dict[int, list[tuple[int, int | None]]] = {}
    for pk, checklist_id, assignee_id in tasks:
        moved.setdefault(checklist_id, []).append((pk, assignee_id))
    if not moved:
        return 0
    checklists = Checklist.objects.in_bulk(list(moved))
    assignees = dict(
        Employee.objects.filter(
            pk__in={a for listed in moved.values() for _, a in listed if a is not None}
        ).values_list("pk", "user_name")
    )
    new = "HR" if person is None else employee.manager.user_name
    for checklist_id, checklist_tasks in moved.items():
        checklist = checklists[checklist_id]
        old = sorted({assignees.get(a, "HR") for _, a in checklist_tasks})
        ChecklistTask.objects.filter(pk__in=[pk for pk, _ in checklist_tasks]).update(
            assignee_role=role, assignee_employee_id=person
        )
        change_record(
            ChecklistChange,
            subject=checklist,
            actor=actor,
            action=Action.REASSIGNED,
            changes={"manager_tasks": [", ".join(old), new]},
        )
        if person is not None:
            notify(
                kind="checklists.task_assigned",
                params={"checklist_id": checklist.pk, "manager_id": person},
                key=f"checklist-{checklist.pk}-manager-{person}",
            )
    return sum(len(t) for t in moved.values())


def _latest(employee: Employee, kind: str, template: ChecklistTemplate | None = None):
    checklists = Checklist.objects.filter(employee=employee, kind=kind).exclude(
        status=ChecklistStatus.CANCELLED
    )
    if template is not None:
        checklists = checklists.filter(template=template)
    return checklists.order_by("-started_at", "-id").first()


def _start_or_move(
    employee: Employee, kind: str, anchor: dt.date | None, actor: Actor
) -> list[Checklist]:
    """Start the checklists of a join or a leave, or move the running ones to a new date.

    Joins and leaves alternate: a new onboarding needs none since the last offboarding (a
    rehire), a new offboarding none since the last onboarding; anything else is the same
    event told again (a repeated PATCH, a re-sent import row, Entra's DELETE after its
    disable) and at most moves the due dates.
    """
    opposite = (
        ChecklistKind.OFFBOARDING if kind == ChecklistKind.ONBOARDING else ChecklistKind.ONBOARDING
    )
    other = _latest(employee, opposite)
    started = []
    for template in templates_matching(kind=kind, employee=employee):
        running = Checklist.objects.filter(
            employee=employee, template=template, status=ChecklistStatus.RUNNING
        ).first()
        if running is not None:
            if anchor is not None:
                checklist_dates_move(checklist=running, anchor_date=anchor, actor=actor)
            continue
        previous = _latest(employee, kind, template)
        if previous is not None and (other is None or other.started_at < previous.started_at):
            continue
        number = Checklist.objects.filter(employee=employee, template=template).count() + 1
        checklist = checklist_start(
            employee=employee,
            template=template,
            event_key=f"{kind}:{number}",
            anchor_date=anchor or timezone.localdate(),
            anchor_known=anchor is not None,
            actor=actor,
        )
        if checklist is not None:
            started.append(checklist)
    return started


def checklists_for_employee_change(*, employee: Employee, change: Any) -> list[Checklist]:
    """Start or move the checklists an employee's recorded change calls for.

    Called for every change to an employee from any channel (HR web app, import, SCIM, API,
    admin), inside the writing transaction.
    """
    action, changes = change.action, change.changes
    actor = Actor(channel=change.channel, user=change.actor_user, token=change.actor_token)
    today = timezone.localdate()
    started: list[Checklist] = []
    if action == ChangeAction.CREATED:
        if employee.active and (employee.start_date is None or employee.start_date >= today):
            started += _start_or_move(
                employee, ChecklistKind.ONBOARDING, employee.start_date, actor
            )
        return started
    if action in (ChangeAction.DEACTIVATED, ChangeAction.DELETED) or (
        "end_date" in changes and employee.end_date is not None
    ):
        started += _start_or_move(employee, ChecklistKind.OFFBOARDING, employee.end_date, actor)
    elif (
        "start_date" in changes
        and employee.start_date is not None
        and (employee.start_date >= today or _latest(employee, ChecklistKind.ONBOARDING))
    ):
        started += _start_or_move(employee, ChecklistKind.ONBOARDING, employee.start_date, actor)
    if (
        action == ChangeAction.UPDATED
        and employee.active
        and any(field in changes for field in MOVER_FIELDS)
    ):
        for template in templates_matching(kind=ChecklistKind.ROLE_CHANGE, employee=employee):
            checklist = checklist_start(
                employee=employee,
                template=template,
                event_key=f"role_change:{today.isoformat()}",
                anchor_date=today,
                anchor_known=True,
                actor=actor,
            )
            if checklist is not None:
                started.append(checklist)
    return started


def _undone_leave(employee: Employee, change: Any) -> str:
    """Say how a recorded change undid a leave ("" when it did not): a reactivation, or the
    end date of an active employee removed. An employee still inactive is still leaving."""
    channel = Channel(change.channel).label
    if change.action == ChangeAction.REACTIVATED:
        return f"{employee} was reactivated ({channel}), so the leave is undone."
    end = change.changes.get("end_date")
    if (
        change.action == ChangeAction.UPDATED
        and end is not None
        and end[1] is None
        and employee.active
    ):
        return f"The end date of {employee} was removed ({channel}), so the leave is undone."
    return ""


def checklists_for_undone_leave(*, employee: Employee, change: Any) -> list[Checklist]:
    """Cancel the running offboarding checklists of a leave a recorded change undid.

    A reactivation undoes a leave whose last day is still to come, or that Entra started
    without an end date; after the last day the leave happened, its offboarding goes on and
    a new start date is a rehire (a new onboarding). The reason says what undid it; the
    cancellation is recorded in each checklist's history under the change's actor.
    """
    reason = _undone_leave(employee, change)
    if not reason:
        return []
    running = Checklist.objects.filter(
        employee=employee, kind=ChecklistKind.OFFBOARDING, status=ChecklistStatus.RUNNING
    ).order_by("id")
    if change.action == ChangeAction.REACTIVATED:
        today = timezone.localdate()
        running = running.filter(Q(anchor_known=False) | Q(anchor_date__gte=today))
    actor = Actor(channel=change.channel, user=change.actor_user, token=change.actor_token)
    return [
        checklist_cancel(checklist=checklist, reason=f"Automatic: {reason}", actor=actor)
        for checklist in running
    ]


# ---------------------------------------------------------------------------------------------
# Doing the work


def _complete_if_done(checklist: Checklist, actor: Actor) -> None:
    if checklist.is_running and checklist.done_count >= checklist.task_count:
        checklist.status = ChecklistStatus.COMPLETED
        checklist.completed_at = timezone.now()
        checklist.save(update_fields=["status", "completed_at"])
        change_record(
            ChecklistChange,
            subject=checklist,
            actor=actor,
            action=Action.COMPLETED,
            changes={"status": [ChecklistStatus.RUNNING, ChecklistStatus.COMPLETED]},
        )


def checklist_task_complete(*, task: ChecklistTask, actor: Actor) -> ChecklistTask:
    """Tick a task done; the checklist completes with its last task. Done twice: no change."""
    if (
        actor.user is not None
        and actor.channel == Channel.WEB
        and not task_can_complete(user=actor.user, task=task)
    ):
        raise PermissionDenied("This task is not yours to complete.")
    with transaction.atomic():
        locked = Checklist.objects.select_for_update().get(pk=task.checklist_id)
        task = ChecklistTask.objects.select_for_update().get(pk=task.pk)
        task.checklist = locked
        if task.completed_at is not None:
            return task
        if not locked.is_running:
            raise ValidationError("This checklist is not running: its tasks cannot change.")
        task.completed_at = timezone.now()
        task.completed_by = actor.user
        task.is_open = False
        task.save(update_fields=["completed_at", "completed_by", "is_open"])
        change_record(
            ChecklistTaskChange,
            subject=task,
            actor=actor,
            action=Action.COMPLETED,
            changes={"completed_at": [None, task.completed_at.isoformat()]},
        )
        locked.done_count = F("done_count") + 1
        locked.save(update_fields=["done_count"])
        locked.refresh_from_db(fields=["done_count"])
        _complete_if_done(locked, actor)
    return task


def checklist_cancel(*, checklist: Checklist, reason: str, actor: Actor) -> Checklist:
    """Cancel a running checklist (the event was undone: a rehire, a cancelled leave)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the checklist is cancelled."]})
    if len(reason) > 500:
        raise ValidationError({"reason": ["Keep the reason under 500 characters."]})
    with transaction.atomic():
        locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if not locked.is_running:
            raise ValidationError({"reason": ["Only a running checklist can be cancelled."]})
        locked.status = ChecklistStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        locked.tasks.filter(is_open=True).update(is_open=False)
        change_record(
            ChecklistChange,
            subject=locked,
            actor=actor,
            action=Action.CANCELLED,
            changes={
                "status": [ChecklistStatus.RUNNING, ChecklistStatus.CANCELLED],
                "cancel_reason": [None, reason],
            },
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Access on the end date


def employee_time_zone(employee: Employee) -> ZoneInfo:
    """The time zone of the employee's location, else the app's."""
    name = ""
    if employee.location_record_id is not None:
        name = employee.location_record.time_zone
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


ACCESS_END_CHUNK = 200


def access_end_due(*, now: dt.datetime | None = None, candidates: Iterable[Employee]) -> list[int]:
    """End the Alexis access of each candidate whose end date has ended in their time zone.

    Idempotent: one EndOfAccess row per employee and end date (a unique constraint) says it
    was done; a second run skips them. Leavers are handled in chunks, one transaction each
    (one INSERT of the rows, then each linked account disabled and its sessions ended): a
    concurrent run that got there first makes the chunk's INSERT fail, and the chunk is left
    to it. Returns the ids of the employees whose access ended.
    """
    from sso.services import linked_user_access_revoke

    now = now or timezone.now()
    due: list[Employee] = []
    ended: list[int] = []

    def flush() -> None:
        try:
            with transaction.atomic():
                EndOfAccess.objects.bulk_create(
                    EndOfAccess(employee=employee, end_date=employee.end_date) for employee in due
                )
                for employee in due:
                    linked_user_access_revoke(employee)
        except IntegrityError:
            pass
        else:
            ended.extend(employee.pk for employee in due)
        due.clear()

    for employee in candidates:
        local_end = dt.datetime.combine(
            employee.end_date + dt.timedelta(days=1), dt.time(0), employee_time_zone(employee)
        )
        if now < local_end:
            continue
        due.append(employee)
        if len(due) >= ACCESS_END_CHUNK:
            flush()
    if due:
        flush()
    return ended


def access_end_undo(*, employee: Employee) -> None:
    """Give back the access the end-date job ended when HR clears or moves the end date."""
    from sso.services import linked_user_access_restore

    ended = EndOfAccess.objects.filter(employee=employee)
    if employee.end_date is not None:
        ended = ended.filter(end_date__lt=employee.end_date)
    if ended.delete()[0]:
        linked_user_access_restore(employee)


def access_end_report_still_active(*, rows: Iterable[EndOfAccess]) -> int:
    """Tell HR and IT about leavers Entra still shows active a day after their access ended."""
    told = 0
    for row in rows:
        with transaction.atomic():
            claimed = EndOfAccess.objects.filter(
                pk=row.pk, still_active_reported_at__isnull=True
            ).update(still_active_reported_at=timezone.now())
            if claimed:
                notify(
                    kind="checklists.entra_still_active",
                    params={"employee_id": row.employee_id, "end_date": row.end_date.isoformat()},
                    key=f"entra-still-active-{row.pk}",
                )
                told += 1
    return told


def checklist_digest_send(*, user_ids: Iterable[int], today: dt.date) -> int:
    """Queue one digest per person of their tasks due tomorrow and overdue (one mail each)."""
    count = 0
    for user_id in user_ids:
        notify(
            kind="checklists.digest",
            params={"user_id": user_id, "date": today.isoformat()},
            key=f"digest-{today.isoformat()}",
        )
        count += 1
    return count
