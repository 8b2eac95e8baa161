"""Teams: groups of employees, provisioned from Entra ID groups or kept by HR."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from audit.models import Audited, ChangeRecord


class Team(Audited, models.Model):
    """A named group of employees; deleted teams are kept with their history (soft delete)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    members = models.ManyToManyField(
        "employees.Employee", through="TeamMembership", related_name="teams", blank=True
    )
    last_synced_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                condition=Q(deleted_at__isnull=True),
                name="team_display_name_ci_unique",
                violation_error_message="A team with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="team_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "employee"], name="team_membership_unique")
        ]
        indexes = [models.Index(fields=["employee", "team"], name="team_membership_employee")]

    def __str__(self) -> str:
        return f"{self.employee_id} in {self.team_id}"


class TeamChange(ChangeRecord):
    """One entry of a team's change history (name changes and members added or removed)."""

    subject_field = "team"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [models.Index(fields=["team", "-changed_at"], name="team_change_recent")]
