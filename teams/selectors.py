"""Reads of teams and their members."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, QuerySet

from employees.models import Employee
from teams.models import Team


def team_queryset() -> QuerySet[Team]:
    """Return teams that are not deleted."""
    return Team.objects.filter(deleted_at__isnull=True)


def team_get(*, public_id: str | uuid.UUID) -> Team | None:
    """Return the team with this public id, or None (also for a malformed id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return team_queryset().filter(public_id=key).first()


def team_list_with_counts(*, include_deleted: bool = False) -> QuerySet[Team]:
    """Return teams with their number of current (non-deleted) members."""
    qs = Team.objects.all() if include_deleted else team_queryset()
    return qs.annotate(member_count=Count("members", filter=Q(members__deleted_at__isnull=True)))


def team_members(*, team: Team) -> QuerySet[Employee]:
    """Return a team's current members (deleted employees are left out)."""
    return Employee.objects.filter(team_memberships__team=team, deleted_at__isnull=True).order_by(
        "family_name", "given_name", "id"
    )


def employee_teams(*, employee: Employee) -> QuerySet[Team]:
    """Return the teams an employee belongs to."""
    return team_queryset().filter(memberships__employee=employee).order_by("display_name")
