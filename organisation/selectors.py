"""Reads of the organisation structure."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Lower

from organisation.kinds import DEPARTMENT, Kind
from organisation.models import Department, OrganisationSettings, OrgRecord


def normalise_name(name: str) -> str:
    """The form names are compared in: trimmed, case-insensitive."""
    return name.strip().lower()


def org_record_by_name(kind: Kind, name: str) -> OrgRecord | None:
    """Return the record whose name or alias equals `name` (trimmed, any case), if any."""
    if not normalise_name(name):
        return None
    # Compare with the unique index's own expression, LOWER(name), so that a name the index
    # would call taken is always found (Python's and the database's case folding differ).
    same_name = Q(lower_name=Lower(Value(name.strip())))
    record = (
        kind.model.objects.annotate(lower_name=Lower("name"))
        .filter(same_name, merged_into__isnull=True)
        .first()
    )
    if record is None:
        alias = (
            kind.alias_model.objects.select_related("record")
            .annotate(lower_name=Lower("name"))
            .filter(same_name)
            .first()
        )
        record = alias.record if alias is not None else None
    return record


def org_record_list(kind: Kind, *, archived: bool = False, search: str = "") -> QuerySet:
    """List one kind's records with their headcount (active, not deleted employees)."""
    qs = kind.model.objects.filter(archived_at__isnull=not archived, merged_into__isnull=True)
    qs = qs.annotate(headcount=Count("employees", filter=Q(employees__deleted_at__isnull=True)))
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    if kind is DEPARTMENT:
        qs = qs.select_related("parent", "head")
    return qs.prefetch_related("aliases").order_by("name", "id")


def org_record_get(kind: Kind, public_id) -> OrgRecord | None:
    return kind.model.objects.filter(public_id=public_id).first()


def org_record_choices(kind: Kind) -> QuerySet:
    """Records that can be chosen for an employee (not archived)."""
    return kind.model.objects.filter(archived_at__isnull=True).order_by("name")


def org_record_names(kind: Kind) -> QuerySet:
    """Names of the records in use (not archived, not merged away), for filter choices."""
    return (
        kind.model.objects.filter(archived_at__isnull=True, merged_into__isnull=True)
        .order_by("name")
        .values_list("name", flat=True)
    )


def department_api_list() -> QuerySet[Department]:
    """Departments in use (not archived or merged away) with their active headcount, by name."""
    return (
        Department.objects.filter(archived_at__isnull=True, merged_into__isnull=True)
        .select_related("parent", "head")
        .annotate(
            headcount=Count(
                "employees",
                filter=Q(employees__deleted_at__isnull=True, employees__active=True),
            )
        )
        .order_by("name", "id")
    )


def department_tree() -> list[dict]:
    """Return the department tree: [{department, headcount, children: [...]}], roots first."""
    departments = list(
        Department.objects.filter(archived_at__isnull=True)
        .select_related("head")
        .annotate(headcount=Count("employees", filter=Q(employees__deleted_at__isnull=True)))
        .order_by("name")
    )
    nodes = {d.pk: {"department": d, "headcount": d.headcount, "children": []} for d in departments}
    roots = []
    for department in departments:
        parent = nodes.get(department.parent_id)
        (parent["children"] if parent else roots).append(nodes[department.pk])
    return roots


def organisation_settings() -> OrganisationSettings:
    """The organisation settings row (defaults until an owner saves them)."""
    return OrganisationSettings.objects.first() or OrganisationSettings()
