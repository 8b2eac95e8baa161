"""Onboarding, offboarding and role-change checklists: templates HR defines, and the
checklists started from them when someone joins, leaves or changes role.

A template is versioned: each edit raises its version, and a checklist copies its template's
tasks when it starts (with the version it came from), so that editing a template never
changes a checklist already running.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from audit.models import Audited, ChangeRecord
from employees.models import EmploymentType


class ChecklistKind(models.TextChoices):
    ONBOARDING = "onboarding", "Onboarding"
    OFFBOARDING = "offboarding", "Offboarding"
    ROLE_CHANGE = "role_change", "Role change"


class AssigneeRole(models.TextChoices):
    EMPLOYEE = "employee", "The employee"
    MANAGER = "manager", "Their manager"
    HR = "hr", "HR"
    IT = "it", "IT"
    PERSON = "person", "A named person"
    TEAM = "team", "A team"


class ChecklistStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Complete"
    CANCELLED = "cancelled", "Cancelled"


# The Django group whose members do the tasks assigned to IT (HR tasks go to HR admins).
IT_GROUP = "IT"


class ChecklistTemplate(models.Model):
    """A list of tasks to do when someone joins, leaves or changes role, with conditions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name", max_length=200)
    kind = models.CharField("kind", max_length=20, choices=ChecklistKind.choices)
    active = models.BooleanField(
        "in use", default=True, help_text="Only templates in use start new checklists."
    )
    legal_entities = models.ManyToManyField(
        "organisation.LegalEntity", blank=True, related_name="+", verbose_name="legal entities"
    )
    locations = models.ManyToManyField(
        "organisation.Location", blank=True, related_name="+", verbose_name="locations"
    )
    departments = models.ManyToManyField(
        "organisation.Department", blank=True, related_name="+", verbose_name="departments"
    )
    employment_types = models.JSONField(
        "employment types",
        default=list,
        blank=True,
        help_text="Empty: every employment type.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def employment_type_labels(self) -> list[str]:
        labels = dict(EmploymentType.choices)
        return [labels.get(value, value) for value in self.employment_types]


class TemplateTask(models.Model):
    """One task of a template: what to do, who does it, and when it is due."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("title", max_length=200)
    description = models.TextField(
        "description", blank=True, help_text="Markdown: **bold**, lists, links."
    )
    assignee_role = models.CharField(
        "assigned to", max_length=20, choices=AssigneeRole.choices, default=AssigneeRole.MANAGER
    )
    assignee_employee = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="person",
    )
    assignee_team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="team",
    )
    # Due this many days after (negative: before) the start date for onboarding, the end
    # date for offboarding, the day of the change for a role change.
    offset_days = models.IntegerField(
        "due", default=0, help_text="Days before (negative) or after the date; 0: on the day."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Checklist(Audited, models.Model):
    """The tasks started for one employee by one event (a join, a leave, a role change)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="checklists"
    )
    template = models.ForeignKey(
        ChecklistTemplate, null=True, on_delete=models.SET_NULL, related_name="checklists"
    )
    template_version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ChecklistKind.choices)
    # Names the event that started it; one checklist per employee, template and event.
    event_key = models.CharField(max_length=100)
    status = models.CharField(
        max_length=20, choices=ChecklistStatus.choices, default=ChecklistStatus.RUNNING
    )
    # The start or end date the due dates count from; the day it started when unknown.
    anchor_date = models.DateField()
    anchor_known = models.BooleanField(default=True)
    # Where the event came from (SCIM, HR web app, ...): an offboarding Entra started without
    # an end date is flagged for HR until they set one.
    trigger_channel = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField("reason", max_length=500, blank=True)
    task_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "template", "event_key"], name="checklist_one_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["anchor_date", "id"],
                condition=Q(status="running"),
                name="checklist_running",
            ),
            models.Index(fields=["employee", "-started_at"], name="checklist_by_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.employee}"

    @property
    def is_running(self) -> bool:
        return self.status == ChecklistStatus.RUNNING

    @property
    def percent_done(self) -> int:
        return round(100 * self.done_count / self.task_count) if self.task_count else 100


class ChecklistTask(Audited, models.Model):
    """A task of a running checklist, copied from its template task when the checklist started."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee_role = models.CharField(max_length=20, choices=AssigneeRole.choices)
    # The person who does it (employee, manager, named person); None for HR, IT and teams.
    assignee_employee = models.ForeignKey(
        "employees.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee_team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The template gave it to the employee's manager: it follows whoever that is now (Entra
    # sets the manager in a PATCH after creating the joiner), and HR covers while there is none.
    for_manager = models.BooleanField(default=False)
    offset_days = models.IntegerField(default=0)
    due_date = models.DateField()
    position = models.PositiveIntegerField(default=0)
    # Copied from the checklist: "my tasks" reads open tasks without joining checklists.
    is_open = models.BooleanField(default=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "position", "id"]
        indexes = [
            models.Index(
                fields=["assignee_employee", "due_date", "id"],
                condition=Q(is_open=True),
                name="task_open_by_person",
            ),
            models.Index(
                fields=["assignee_role", "due_date", "id"],
                condition=Q(is_open=True),
                name="task_open_by_role",
            ),
            models.Index(
                fields=["assignee_team", "due_date", "id"],
                condition=Q(is_open=True, assignee_team__isnull=False),
                name="task_open_by_team",
            ),
            models.Index(
                fields=["due_date", "checklist"],
                condition=Q(is_open=True),
                name="task_open_by_due_date",
            ),
            models.Index(fields=["checklist", "position"], name="task_by_checklist"),
            # A checklist's overdue tasks (the HR overview's counts and its "only with overdue
            # tasks" filter): one probe per checklist, whatever the planner's statistics say.
            models.Index(
                fields=["checklist", "due_date"],
                condition=Q(is_open=True),
                name="task_open_by_checklist",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class EndOfAccess(models.Model):
    """When Alexis ended a leaver's access on their end date, and whether HR/IT were told."""

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="access_ends"
    )
    end_date = models.DateField()
    ended_at = models.DateTimeField(auto_now_add=True)
    still_active_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "end_date"], name="access_end_once")
        ]
        indexes = [
            models.Index(
                fields=["ended_at"],
                condition=Q(still_active_reported_at__isnull=True),
                name="access_end_unreported",
            )
        ]

    def __str__(self) -> str:
        return f"Access ended for {self.employee_id} on {self.end_date}"


class ChecklistChange(ChangeRecord):
    """A checklist's history: started, completed, cancelled (webhook events checklist.*)."""

    subject_field = "checklist"

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["checklist", "-changed_at"], name="checklist_change_recent")
        ]


class ChecklistTaskChange(ChangeRecord):
    """A task's history: completed, reopened (webhook event task.completed)."""

    subject_field = "task"

    task = models.ForeignKey(ChecklistTask, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["task", "-changed_at"], name="checklist_task_change_recent")
        ]
