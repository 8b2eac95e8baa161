"""Reads of the employee record. Query shapes (joins, prefetches) are decided here, once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower

from custom_fields.models import CustomField
from custom_fields.values import equals_q
from employees.models import Employee, EmployeeChange
from employees.search import SearchMatch

# A manager chain longer than this is certainly a corrupt cycle; stop walking there.
MAX_CHAIN_DEPTH = 500

# Directory sort keys -> columns; ties are broken by id so that pages never overlap.
DIRECTORY_SORTS = {
    "name": ("family_name", "given_name"),
    "title": ("title", "family_name", "given_name"),
    "department": ("department", "family_name", "given_name"),
    "start_date": ("start_date", "family_name", "given_name"),
}
FILTER_FIELDS = ("department", "division", "organization", "cost_center")
# pg_trgm can use its index only for search terms of at least three characters.
TRIGRAM_LENGTH = 3
FILTER_OPTIONS_CACHE_KEY = "employees:directory-filter-options"
FILTER_OPTIONS_CACHE_SECONDS = 300
FILTER_OPTIONS_LIMIT = 1000
TEAM_OPTIONS_CACHE_KEY = "employees:directory-team-options"
TEAM_OPTIONS_CACHE_SECONDS = 300
TEAM_OPTIONS_LIMIT = 2000


def employee_queryset(*, include_deleted: bool = False) -> QuerySet[Employee]:
    """Return employees with their manager joined; deleted ones only when asked."""
    qs = Employee.objects.select_related("manager")
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return qs


def employee_if_live(employee: Employee | None) -> Employee | None:
    """Return the employee unless it is deleted (or None).

    A lookup by a unique key (public id) leaves deleted rows to this check rather than to
    `deleted_at IS NULL` in its query: with that condition, and with no ORDER BY to walk, a
    planner without statistics (a fresh bulk load, autovacuum off) may still pick a partial
    index on live rows and filter every one of them instead of using the unique index.
    """
    return employee if employee is not None and employee.deleted_at is None else None


def employee_get(*, public_id: str | uuid.UUID, include_deleted: bool = False) -> Employee | None:
    """Return the employee with this public id, or None (also for a malformed id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    # One row by a unique key: no ORDER BY (first() would add one), deleted rows filtered
    # afterwards (see employee_if_live).
    found = employee_queryset(include_deleted=True).filter(public_id=key).order_by()
    employee = next(iter(found[:1]), None)
    return employee if include_deleted else employee_if_live(employee)


# What a reference to someone's manager shows (its id, the names its display is made of):
# reading only these skips decoding the manager's JSON and date columns.
MANAGER_REFERENCE_FIELDS = ("public_id", "user_name", "display_name", "given_name", "family_name")


def with_manager_reference(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    """Join the manager with only the fields a reference to them shows; the rest on demand."""
    own = [field.name for field in Employee._meta.concrete_fields]
    return qs.select_related("manager").only(
        *own, *(f"manager__{name}" for name in MANAGER_REFERENCE_FIELDS)
    )


def employee_locked(
    *,
    pk: int | None = None,
    public_id: uuid.UUID | None = None,
    annotations: dict[str, Any] | None = None,
) -> Employee | None:
    """Return the non-deleted employee, its row locked until the transaction ends, or None.

    Call it inside a transaction. The manager is joined as a reference (the change history
    and the answers name them);
    of=("self",) because PostgreSQL cannot lock the nullable side of an outer join.
    FOR NO KEY UPDATE: nothing here changes the key, and it lets other transactions point
    foreign keys at this row (a new manager, a team membership) without waiting for it,
    which rules out deadlocks between writers that reference each other. `annotations` are
    read with the row (what the caller's answer needs, in the same query).
    """
    qs = with_manager_reference(Employee.objects.select_for_update(of=("self",), no_key=True))
    if annotations:
        qs = qs.annotate(**annotations)
    qs = qs.filter(pk=pk) if pk is not None else qs.filter(public_id=public_id)
    # A deleted row is locked too (until this transaction ends) and then refused: see
    # employee_if_live for why the query does not leave it out.
    employee = employee_if_live(next(iter(qs.order_by()[:1]), None))
    if employee is not None and employee.manager_id is not None:
        # After waiting for the lock, PostgreSQL hands over the row as the other writer left
        # it, but the joined manager as it was before the wait: a manager changed meanwhile
        # must be read again (one more query, only then).
        joined = Employee.manager.field.get_cached_value(employee, default=None)
        if joined is None or joined.pk != employee.manager_id:
            employee.manager = Employee.objects.get(pk=employee.manager_id)
    return employee


def _by_user_name(user_name: str) -> QuerySet[Employee]:
    # LOWER(user_name) = LOWER(%s): the comparison of the unique index, which serves it
    # (`iexact` compiles to UPPER(...) = UPPER(...), which no index serves).
    return Employee.objects.filter(
        user_name__lower=Lower(Value(user_name)), deleted_at__isnull=True
    ).order_by()


def employee_by_user_name(user_name: str) -> Employee | None:
    """Return the non-deleted employee with this user name in any letter case, or None."""
    return next(iter(_by_user_name(user_name)[:1]), None)


def employee_user_name_taken(user_name: str, *, exclude_pk: int | None = None) -> bool:
    """Return whether another non-deleted employee has this user name, in any letter case."""
    qs = _by_user_name(user_name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def employee_number_taken(employee_number: str, *, exclude_pk: int | None = None) -> bool:
    """Return whether another non-deleted employee has this employee number."""
    qs = Employee.objects.filter(employee_number=employee_number, deleted_at__isnull=True)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def employee_list(
    *,
    search: str | None = None,
    department: str | None = None,
    division: str | None = None,
    organization: str | None = None,
    cost_center: str | None = None,
    active: bool | None = None,
    scim_managed: bool | None = None,
    team: str | uuid.UUID | None = None,
    custom: dict[CustomField, Any] | None = None,
    include_deleted: bool = False,
) -> QuerySet[Employee]:
    """Return employees matching every word of a search (any letter case) and exact filters.

    `team` is a team's public id: only its members (none for an unknown or deleted team).
    `custom` maps custom fields to the stored value an employee must hold.
    """
    qs = employee_queryset(include_deleted=include_deleted)
    terms = (search or "").split()
    if terms and connection.vendor == "sqlite":
        # SQLite has no index for the search: scanning the table for matching ids first and
        # then sorting those is about twice as fast as walking the sort index row by row.
        matches = Employee.objects.all()
        for term in terms:
            matches = matches.filter(SearchMatch(term))
        qs = qs.filter(pk__in=matches.values("pk"))
    else:
        for term in terms:
            qs = qs.filter(SearchMatch(term))
    exact = {
        "department": department,
        "division": division,
        "organization": organization,
        "cost_center": cost_center,
    }
    qs = qs.filter(**{field: value for field, value in exact.items() if value})
    if active is not None:
        qs = qs.filter(active=active)
    if scim_managed is not None:
        qs = qs.filter(last_synced_at__isnull=not scim_managed)
    if team:
        qs = qs.filter(_team_member(team))
    for definition, value in (custom or {}).items():
        qs = qs.filter(equals_q(definition, value))
    return qs


# The teams app depends on employees, not the reverse: the directory and profiles read an
# employee's teams through the relation that app declares on Employee (`employee.teams`,
# its through model `Employee.teams.through`), never by importing it.


def _team_member(team: str | uuid.UUID) -> Q:
    # The members' ids come from the (team, employee) index; databases turn this into a
    # semi-join driven by the team's memberships, with no repeated rows and no extra query.
    try:
        key = uuid.UUID(str(team))
    except ValueError:
        return Q(pk__in=[])
    members = Employee.teams.through.objects.filter(
        team__public_id=key, team__deleted_at__isnull=True
    )
    return Q(pk__in=members.values("employee_id"))


def employee_directory(*, sort: str = "name", **filters: Any) -> QuerySet[Employee]:
    """Return the directory listing: employee_list ordered by a sort key ("-title": descending)."""
    descending = sort.startswith("-")
    columns = DIRECTORY_SORTS.get(sort.lstrip("-"), DIRECTORY_SORTS["name"])
    order: list[Any] = [f"-{column}" if descending else column for column in columns]
    search = filters.get("search") or ""
    if connection.vendor == "postgresql" and any(
        len(term) >= TRIGRAM_LENGTH for term in search.split()
    ):
        # Sorting by `column || ''` (same order) hides the sort index from the planner, so
        # PostgreSQL finds the matches through the trigram index and sorts only those,
        # instead of walking the whole sort index when the matches sort last.
        first = Concat(F(columns[0]), Value(""))
        order[0] = first.desc() if descending else first.asc()
    # Managers come in one extra query for the page shown rather than a join for every
    # row the database steps over on its way to a deep page.
    return (
        employee_list(**filters)
        .select_related(None)
        .prefetch_related("manager")
        .order_by(*order, "-id" if descending else "id")
    )


def employee_export(*, sort: str = "name", **filters: Any) -> QuerySet[Employee]:
    """Return the directory listing for a CSV export, managers joined (it is read in chunks)."""
    return employee_directory(sort=sort, **filters).prefetch_related(None).select_related("manager")


# Filters whose choices are managed records rather than the values in use: {field: source()},
# a source returning a sliceable list of names (the organisation app registers its records).
filter_option_sources: dict[str, Callable[[], Any]] = {}


def employee_filter_options() -> dict[str, list[str]]:
    """Return the distinct non-empty values of each directory filter, sorted (cached briefly).

    SELECT DISTINCT over every employee costs more than the rest of a directory page, so the
    lists come from the shared cache; a web edit refreshes them, a SCIM change within minutes.
    """

    def read() -> dict[str, list[str]]:
        live = Employee.objects.filter(deleted_at__isnull=True)
        return {
            field: list(
                filter_option_sources[field]()[:FILTER_OPTIONS_LIMIT]
                if field in filter_option_sources
                else live.exclude(**{field: ""})
                .order_by(field)
                .values_list(field, flat=True)
                .distinct()[:FILTER_OPTIONS_LIMIT]
            )
            for field in FILTER_FIELDS
        }

    return cache.get_or_set(FILTER_OPTIONS_CACHE_KEY, read, FILTER_OPTIONS_CACHE_SECONDS)


def employee_filter_options_forget() -> None:
    """Drop the cached filter values so that the next directory page reads them afresh."""
    cache.delete(FILTER_OPTIONS_CACHE_KEY)


def employee_custom_value_count(*, field: CustomField, **kwargs: Any) -> int:
    """Return how many employees (deleted ones included) hold a value of this custom field.

    Answers custom_fields' custom_field_values_counted signal.
    """
    return Employee.objects.filter(custom_fields__has_key=field.name).count()


def employee_team_options() -> list[tuple[str, str]]:
    """Return (public id, name) of every team, by name, for the directory's filter (cached)."""

    def read() -> list[tuple[str, str]]:
        teams = Employee._meta.get_field("teams").related_model.objects.filter(
            deleted_at__isnull=True
        )
        rows = teams.order_by("display_name", "id").values_list("public_id", "display_name")
        return [(str(public_id), name) for public_id, name in rows[:TEAM_OPTIONS_LIMIT]]

    return cache.get_or_set(TEAM_OPTIONS_CACHE_KEY, read, TEAM_OPTIONS_CACHE_SECONDS)


def employee_team_options_forget() -> None:
    """Drop the cached team options so that the next directory page reads them afresh."""
    cache.delete(TEAM_OPTIONS_CACHE_KEY)


def employee_teams(*, employee: Employee) -> QuerySet:
    """Return the (not deleted) teams an employee belongs to, by name."""
    return employee.teams.filter(deleted_at__isnull=True).order_by("display_name")


def employee_headcount() -> dict[str, int]:
    """Return how many employees are active and inactive (deleted ones not counted)."""
    counts = Employee.objects.filter(deleted_at__isnull=True).aggregate(
        active_count=Count("pk", filter=Q(active=True)),
        inactive_count=Count("pk", filter=Q(active=False)),
    )
    return {"active": counts["active_count"], "inactive": counts["inactive_count"]}


def employee_recent_joiners(*, today: dt.date, days: int = 30, limit: int = 8) -> list[Employee]:
    """Return employees whose start date is within `days` before today or later, latest first."""
    since = today - dt.timedelta(days=days)
    return list(
        employee_queryset().filter(start_date__gte=since).order_by("-start_date", "-id")[:limit]
    )


def employee_recent_leavers(*, today: dt.date, days: int = 30, limit: int = 8) -> list[Employee]:
    """Return employees whose end date is within `days` before today or later, latest first."""
    since = today - dt.timedelta(days=days)
    return list(
        employee_queryset().filter(end_date__gte=since).order_by("-end_date", "-id")[:limit]
    )


def employee_recent_changes(*, action: str, limit: int = 8) -> list[EmployeeChange]:
    """Return the latest history entries of one kind (created, deactivated...) with their actors."""
    return list(
        EmployeeChange.objects.filter(action=action, employee__deleted_at__isnull=True)
        .select_related("employee", "actor_user", "actor_token")
        .order_by("-changed_at", "-id")[:limit]
    )


def org_chart_nodes(*, manager: Employee | None) -> QuerySet[Employee]:
    """Return one org-chart level: the reports of `manager` (or the top level) with report counts.

    The count is a correlated subquery, evaluated only for the rows of the page shown.
    """
    report_count = (
        Employee.objects.filter(manager=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("manager")
        .annotate(count=Count("pk"))
        .values("count")
    )
    qs = Employee.objects.filter(deleted_at__isnull=True)
    qs = qs.filter(manager=manager) if manager is not None else qs.filter(manager__isnull=True)
    return qs.annotate(
        report_count=Coalesce(Subquery(report_count, output_field=IntegerField()), 0)
    ).order_by("family_name", "given_name", "id")


def employee_direct_reports(*, manager: Employee) -> QuerySet[Employee]:
    """Return the employees who report directly to this manager (not deleted)."""
    return employee_queryset().filter(manager=manager)


def employee_manager_chain_ids(employee_id: int, *, skip_deleted: bool = False) -> list[int]:
    """Return the ids from this employee up to the top of the manager tree, in one query.

    The first id is the employee's own; with skip_deleted, a deleted employee gives [].
    A recursive query keeps this one round trip however deep the organization is.
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
    """Return the employee's managers, nearest first, up to the top, in one recursive query."""
    table = connection.ops.quote_name(Employee._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id, manager_id, depth) AS (
            SELECT id, manager_id, 0 FROM {table} WHERE id = %s
            UNION ALL
            SELECT e.id, e.manager_id, chain.depth + 1
            FROM {table} e JOIN chain ON e.id = chain.manager_id
            WHERE chain.depth < %s
        )
        SELECT e.* FROM chain JOIN {table} e ON e.id = chain.id
        WHERE chain.depth > 0 ORDER BY chain.depth
    """  # noqa: S608 - the table name comes from the model, values are parameters
    return list(Employee.objects.raw(sql, [employee.pk, MAX_CHAIN_DEPTH]))


def employee_history(*, employee: Employee, limit: int = 50) -> QuerySet[EmployeeChange]:
    """Return the employee's most recent changes with their actors."""
    return employee.changes.select_related("actor_user", "actor_token")[:limit]
