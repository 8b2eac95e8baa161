"""Reads of checklists: matching templates, "my tasks", the HR overview, flags for HR."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.roles import HR_ADMIN, OWNER, is_hr_admin
from alexis.snapshot import Snapshot
from audit.models import Channel
from checklists.models import (
    IT_GROUP,
    AssigneeRole,
    Checklist,
    ChecklistKind,
    ChecklistStatus,
    ChecklistTask,
    ChecklistTemplate,
    EndOfAccess,
)
from employees.models import Employee
from teams.models import TeamMembership

MY_TASKS_LIMIT = 100


def _template_kinds_read() -> frozenset[str]:
    return frozenset(
        ChecklistTemplate.objects.filter(active=True).values_list("kind", flat=True).distinct()
    )


# The kinds that have a template in use: every write to an employee asks whether a checklist
# could start, and a process that read them a moment ago answers without a query.
template_kinds_in_use = Snapshot(_template_kinds_read, watch=(ChecklistTemplate,))


def template_list() -> QuerySet[ChecklistTemplate]:
    """Every template with its number of tasks."""
    return ChecklistTemplate.objects.annotate(task_total=Count("tasks"))


def template_get(*, public_id: Any) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(public_id=public_id).first()


def templates_matching(*, kind: str, employee: Employee) -> list[ChecklistTemplate]:
    """Return the templates in use of this kind whose conditions the employee meets.

    An empty condition matches everyone; each set one must hold (any of its values).
    """
    templates = ChecklistTemplate.objects.filter(kind=kind, active=True).prefetch_related(
        "legal_entities", "locations", "departments", "tasks"
    )
    matching = []
    for template in templates:
        checks = [
            (template.legal_entities.all(), employee.legal_entity_id),
            (template.locations.all(), employee.location_record_id),
            (template.departments.all(), employee.department_record_id),
        ]
        if any(records and value not in {r.pk for r in records} for records, value in checks):
            continue
        if template.employment_types and employee.employment_type not in template.employment_types:
            continue
        matching.append(template)
    return matching


def user_is_it(user: AbstractBaseUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    names = getattr(user, "_alexis_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._alexis_group_names = names
    return IT_GROUP in names


def _assigned_to(user: AbstractBaseUser) -> Q | None:
    """The tasks a person does: as themselves or manager, for HR or IT, for their teams."""
    parts = []
    employee_id = (
        Employee.objects.filter(user_id=user.pk, deleted_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if employee_id is not None:
        parts.append(Q(assignee_employee_id=employee_id))
        team_ids = list(
            TeamMembership.objects.filter(employee_id=employee_id).values_list("team_id", flat=True)
        )
        if team_ids:
            parts.append(Q(assignee_role=AssigneeRole.TEAM, assignee_team_id__in=team_ids))
    if is_hr_admin(user):
        parts.append(Q(assignee_role=AssigneeRole.HR))
    if user_is_it(user):
        parts.append(Q(assignee_role=AssigneeRole.IT))
    if not parts:
        return None
    query = parts[0]
    for part in parts[1:]:
        query |= part
    return query


def my_tasks(*, user: AbstractBaseUser, limit: int = MY_TASKS_LIMIT) -> tuple[list, int]:
    """Return the person's open tasks, due soonest first (up to `limit`), and how many in all."""
    assigned = _assigned_to(user)
    if assigned is None:
        return [], 0
    open_tasks = ChecklistTask.objects.filter(assigned, is_open=True)
    tasks = list(
        open_tasks.select_related("checklist__employee").order_by("due_date", "id")[:limit]
    )
    total = len(tasks) if len(tasks) < limit else open_tasks.count()
    return tasks, total


def task_can_complete(*, user: AbstractBaseUser, task: ChecklistTask) -> bool:
    """Whether this person may tick this task: its assignee, or HR."""
    if is_hr_admin(user):
        return True
    assigned = _assigned_to(user)
    return assigned is not None and ChecklistTask.objects.filter(assigned, pk=task.pk).exists()


def checklist_can_view(*, user: AbstractBaseUser, checklist: Checklist) -> bool:
    """HR, the employee it is about, and anyone with a task in it see a checklist."""
    if is_hr_admin(user):
        return True
    if checklist.employee.user_id == user.pk:
        return True
    assigned = _assigned_to(user)
    return assigned is not None and checklist.tasks.filter(assigned).exists()


def checklist_get(*, public_id: Any) -> Checklist | None:
    return (
        Checklist.objects.select_related("employee", "template").filter(public_id=public_id).first()
    )


def checklist_tasks(checklist: Checklist) -> list[ChecklistTask]:
    return list(
        checklist.tasks.select_related(
            "assignee_employee", "assignee_team", "completed_by"
        ).order_by("due_date", "position", "id")
    )


def checklist_overview(*, kind: str = "", overdue_only: bool = False, today: dt.date | None = None):
    """Running checklists, earliest date first; the page's overdue counts come separately."""
    today = today or timezone.localdate()
    checklists = Checklist.objects.filter(status=ChecklistStatus.RUNNING)
    if kind:
        checklists = checklists.filter(kind=kind)
    if overdue_only:
        overdue = ChecklistTask.objects.filter(
            checklist=OuterRef("pk"), is_open=True, due_date__lt=today
        )
        checklists = checklists.filter(Exists(overdue))
    # The employees of the page come in a second query by primary key: joined, a deep page
    # (an OFFSET of thousands) made PostgreSQL hash-join the whole employee table.
    names = Employee.objects.only("given_name", "family_name", "user_name")
    return checklists.prefetch_related(Prefetch("employee", queryset=names)).order_by(
        "anchor_date", "id"
    )


def with_overdue_counts(checklists: list[Checklist], *, today: dt.date | None = None) -> list:
    """Set `overdue_count` on each checklist of a page (one grouped query for the page)."""
    today = today or timezone.localdate()
    counts = dict(
        ChecklistTask.objects.filter(
            checklist__in=[c.pk for c in checklists], is_open=True, due_date__lt=today
        )
        .order_by()
        .values("checklist")
        .annotate(n=Count("pk"))
        .values_list("checklist", "n")
    )
    for checklist in checklists:
        checklist.overdue_count = counts.get(checklist.pk, 0)
    return checklists


def employee_checklists(*, employee: Employee) -> list[Checklist]:
    return list(employee.checklists.select_related("template").order_by("-started_at", "-id"))


def leaves_to_confirm() -> list[Checklist]:
    """Offboardings Entra started (disable or delete) while HR had set no end date."""
    return list(
        Checklist.objects.filter(
            kind=ChecklistKind.OFFBOARDING,
            status=ChecklistStatus.RUNNING,
            anchor_known=False,
            trigger_channel=Channel.SCIM,
        )
        .select_related("employee")
        .order_by("started_at", "id")[:50]
    )


def access_end_candidates(*, now: dt.datetime, lookback_days: int = 30) -> QuerySet[Employee]:
    """Employees whose end date may have ended somewhere on Earth and whose access is not ended.

    The latest local date anywhere is at most a day ahead of UTC, so an end date up to
    today (UTC) can be over; the service checks each person's own time zone.
    """
    today_utc = now.astimezone(dt.UTC).date()
    done = EndOfAccess.objects.filter(employee=OuterRef("pk"), end_date=OuterRef("end_date"))
    return (
        Employee.objects.filter(
            end_date__isnull=False,
            end_date__lte=today_utc,
            end_date__gte=today_utc - dt.timedelta(days=lookback_days),
        )
        .filter(~Exists(done))
        .select_related("location_record")
        .order_by("end_date", "id")
    )


def access_ends_still_active(*, now: dt.datetime) -> QuerySet[EndOfAccess]:
    """Leavers whose access ended a day ago or more while Entra still shows them active."""
    return EndOfAccess.objects.filter(
        still_active_reported_at__isnull=True,
        ended_at__lte=now - dt.timedelta(days=1),
        employee__active=True,
        employee__deleted_at__isnull=True,
        employee__last_synced_at__isnull=False,
    ).select_related("employee")


def hr_and_it_users() -> QuerySet:
    """People told about leavers: HR admins, owners and IT."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[HR_ADMIN, OWNER, IT_GROUP]) | Q(is_superuser=True))
        .distinct()
    )


def digest_user_ids(*, today: dt.date) -> list[int]:
    """The people with open tasks due tomorrow or overdue."""
    due = ChecklistTask.objects.filter(is_open=True, due_date__lte=today + dt.timedelta(days=1))
    ids = set(
        due.filter(assignee_employee__user__isnull=False).values_list(
            "assignee_employee__user_id", flat=True
        )
    )
    if due.filter(assignee_role=AssigneeRole.TEAM).exists():
        team_ids = due.filter(assignee_role=AssigneeRole.TEAM).values("assignee_team_id")
        ids |= set(
            Employee.objects.filter(
                team_memberships__team_id__in=team_ids, user__isnull=False, active=True
            ).values_list("user_id", flat=True)
        )
    roles = set(
        due.filter(assignee_role__in=[AssigneeRole.HR, AssigneeRole.IT])
        .values_list("assignee_role", flat=True)
        .distinct()
    )
    users = get_user_model().objects.filter(is_active=True)
    if AssigneeRole.HR in roles:
        ids |= set(
            users.filter(Q(groups__name__in=[HR_ADMIN, OWNER]) | Q(is_superuser=True)).values_list(
                "pk", flat=True
            )
        )
    if AssigneeRole.IT in roles:
        ids |= set(users.filter(groups__name=IT_GROUP).values_list("pk", flat=True))
    return sorted(ids)


def checklist_assignee_user_ids(*, checklist_id: int) -> list[int]:
    """The people who do the open tasks of a checklist (for "task assigned")."""
    tasks = ChecklistTask.objects.filter(checklist_id=checklist_id, is_open=True)
    ids = set(
        tasks.filter(assignee_employee__user__isnull=False).values_list(
            "assignee_employee__user_id", flat=True
        )
    )
    team_ids = tasks.filter(assignee_role=AssigneeRole.TEAM).values("assignee_team_id")
    ids |= set(
        Employee.objects.filter(
            team_memberships__team_id__in=team_ids, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    roles = set(tasks.values_list("assignee_role", flat=True))
    users = get_user_model().objects.filter(is_active=True)
    if AssigneeRole.HR in roles:
        ids |= set(
            users.filter(Q(groups__name__in=[HR_ADMIN, OWNER]) | Q(is_superuser=True)).values_list(
                "pk", flat=True
            )
        )
    if AssigneeRole.IT in roles:
        ids |= set(users.filter(groups__name=IT_GROUP).values_list("pk", flat=True))
    return sorted(ids)


def tasks_for_digest(*, user: AbstractBaseUser, today: dt.date) -> tuple[list, list]:
    """The person's open tasks due tomorrow, and those overdue."""
    assigned = _assigned_to(user)
    if assigned is None:
        return [], []
    tasks = ChecklistTask.objects.filter(assigned, is_open=True).select_related(
        "checklist__employee"
    )
    tomorrow = today + dt.timedelta(days=1)
    return (
        list(tasks.filter(due_date=tomorrow).order_by("id")[:50]),
        list(tasks.filter(due_date__lt=today).order_by("due_date", "id")[:50]),
    )
