"""Reads of teams and their members."""

from __future__ import annotations

import uuid

from django.db import connection
from django.db.models import BooleanField, Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from employees.models import Employee
from teams.models import Team, TeamChange, TeamMembership


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
    """Return teams with their number of current (non-deleted) members.

    The count is a correlated subquery: evaluated only for the rows fetched, and left out
    of COUNT(*) for a paginator, so a page of teams costs the same whatever their size.
    """
    qs = Team.objects.all() if include_deleted else team_queryset()
    member_count = (
        TeamMembership.objects.filter(team=OuterRef("pk"), employee__deleted_at__isnull=True)
        .order_by()
        .values("team")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return qs.annotate(
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0)
    )


def team_member_counts(teams: list[Team]) -> list[Team]:
    """Set `member_count` on each of these teams (one grouped query) and return them.

    For a page of teams this beats the correlated subquery, which databases also evaluate
    for every row an OFFSET skips.
    """
    counts = dict(
        TeamMembership.objects.filter(
            team_id__in=[team.pk for team in teams], employee__deleted_at__isnull=True
        )
        .order_by()
        .values("team")
        .annotate(count=Count("pk"))
        .values_list("team", "count")
    )
    for team in teams:
        team.member_count = counts.get(team.pk, 0)
    return teams


def team_members(*, team: Team) -> QuerySet[Employee]:
    """Return a team's current members (deleted employees are left out)."""
    return Employee.objects.filter(team_memberships__team=team, deleted_at__isnull=True).order_by(
        "family_name", "given_name", "id"
    )


def team_member_summaries(*, team_ids: list[int]) -> dict[int, list[dict]]:
    """Return {team pk: current members as public_id and name} for many teams in one query."""
    rows = (
        TeamMembership.objects.filter(team_id__in=team_ids, employee__deleted_at__isnull=True)
        .order_by("team_id", "employee__family_name", "employee__given_name", "employee_id")
        .values_list(
            "team_id",
            "employee__public_id",
            "employee__user_name",
            "employee__display_name",
            "employee__given_name",
            "employee__family_name",
        )
    )
    summaries: dict[int, list[dict]] = {pk: [] for pk in team_ids}
    for team_id, public_id, user_name, display_name, given_name, family_name in rows:
        summaries[team_id].append(
            {
                "public_id": public_id,
                "name": display_name or f"{given_name} {family_name}".strip() or user_name,
            }
        )
    return summaries


def in_team_annotation() -> dict[str, RawSQL]:
    """Annotate employees with whether they are in a non-deleted team (`in_team`).

    Read with the employee in the same query, it spares the query for the teams of everyone
    in none (most people an identity provider provisions). Written as SQL: built through the
    ORM, the EXISTS cost as much to compile as the query it spares. The employee table is
    the outer query's own (its base table keeps its name as alias).
    """
    q = connection.ops.quote_name
    employee, membership, team = (
        q(Employee._meta.db_table),
        q(TeamMembership._meta.db_table),
        q(Team._meta.db_table),
    )
    sql = (
        f"EXISTS (SELECT 1 FROM {membership} m JOIN {team} t ON t.id = m.team_id "  # noqa: S608
        f"WHERE m.employee_id = {employee}.id AND t.deleted_at IS NULL)"
    )
    # Only quoted table names are formatted in; there is no value at all.
    return {"in_team": RawSQL(sql, (), output_field=BooleanField())}  # noqa: S611


def employee_team_summaries(*, employee_ids: list[int]) -> dict[int, list[dict]]:
    """Return {employee pk: their non-deleted teams as public_id/display_name} in one query."""
    if not employee_ids:
        return {}
    rows = (
        TeamMembership.objects.filter(employee_id__in=employee_ids, team__deleted_at__isnull=True)
        .order_by("employee_id", "team__display_name", "team_id")
        .values_list("employee_id", "team__public_id", "team__display_name")
    )
    summaries: dict[int, list[dict]] = {pk: [] for pk in employee_ids}
    for employee_id, public_id, display_name in rows:
        summaries[employee_id].append({"public_id": public_id, "name": display_name})
    return summaries


def team_history(*, team: Team, limit: int = 50) -> QuerySet[TeamChange]:
    """Return the team's most recent changes with their actors."""
    return team.changes.select_related("actor_user", "actor_token").order_by("-changed_at", "-id")[
        :limit
    ]
