"""Reads of the employee record. Query shapes (joins, prefetches) are decided here, once."""

from __future__ import annotations

import uuid

from django.db import connection
from django.db.models import Count, Q, QuerySet

from employees.models import Employee, EmployeeChange

# A manager chain longer than this is certainly a corrupt cycle; stop walking there.
MAX_CHAIN_DEPTH = 500


def employee_queryset(*, include_deleted: bool = False) -> QuerySet[Employee]:
    """Return employees with their manager joined; deleted ones only when asked."""
    qs = Employee.objects.select_related("manager")
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return qs


def employee_get(*, public_id: str | uuid.UUID, include_deleted: bool = False) -> Employee | None:
    """Return the employee with this public id, or None (also for a malformed id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return employee_queryset(include_deleted=include_deleted).filter(public_id=key).first()


def employee_list(
    *,
    search: str | None = None,
    department: str | None = None,
    division: str | None = None,
    active: bool | None = None,
    include_deleted: bool = False,
) -> QuerySet[Employee]:
    """Return employees matching a free-text search and exact filters."""
    qs = employee_queryset(include_deleted=include_deleted)
    if search:
        for term in search.split():
            qs = qs.filter(
                Q(given_name__icontains=term)
                | Q(family_name__icontains=term)
                | Q(display_name__icontains=term)
                | Q(user_name__icontains=term)
                | Q(work_email__icontains=term)
                | Q(title__icontains=term)
                | Q(employee_number__iexact=term)
            )
    if department:
        qs = qs.filter(department=department)
    if division:
        qs = qs.filter(division=division)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def employee_direct_reports(*, manager: Employee) -> QuerySet[Employee]:
    """Return the employees who report directly to this manager (not deleted)."""
    return employee_queryset().filter(manager=manager)


def department_headcounts() -> QuerySet[dict]:
    """Return each department of active employees with its headcount, by name, in one query."""
    return (
        Employee.objects.filter(deleted_at__isnull=True, active=True)
        .exclude(department="")
        .values("department")
        .annotate(headcount=Count("pk"))
        .order_by("department")
    )


def employee_manager_chain_ids(employee_id: int, *, skip_deleted: bool = False) -> list[int]:
    """Return the ids from this employee up to the top of the manager tree, in one query.

    The first id is the employee's own; with skip_deleted, a deleted employee gives [].
    A recursive query keeps this one round trip however deep the organisation is.
    """
    table = connection.ops.quote_name(Employee._meta.db_table)
    start = "id = %s AND deleted_at IS NULL" if skip_deleted else "id = %s"
    sql = f"""
        WITH RECURSIVE chain(id, manager_id, depth) AS (
            SELECT id, manager_id, 0 FROM {table} WHERE {start}
            UNION ALL
            SELECT e.id, e.manager_id, chain.depth + 1
            FROM {table} e JOIN chain ON e.id = chain.manager_id
            WHERE chain.depth < %s
        )
        SELECT id FROM chain ORDER BY depth
    """  # noqa: S608 - the table name comes from the model, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [employee_id, MAX_CHAIN_DEPTH])
        return [row[0] for row in cursor.fetchall()]


def employee_manager_chain(employee: Employee) -> list[Employee]:
    """Return the employee's managers, nearest first, up to the top (two queries)."""
    ids = employee_manager_chain_ids(employee.pk)[1:]
    if not ids:
        return []
    by_id = Employee.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def employee_history(*, employee: Employee, limit: int = 50) -> QuerySet[EmployeeChange]:
    """Return the employee's most recent changes with their actors."""
    return employee.changes.select_related("actor_user", "actor_token")[:limit]
