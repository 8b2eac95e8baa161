"""A page's work does not depend on the planner's statistics (PostgreSQL, never analysed).

Entra's first cycle and Account Discovery page through every user right after a bulk load,
before any ANALYZE (autovacuum may be off, or not yet run). Each query a page runs is
EXPLAINed with ANALYZE and BUFFERS: the rows and buffers it touches must stay near what the
page needs, whatever plan the missing statistics lead to.
"""

import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employees.models import Employee
from tests.scim_api.conftest import ENT
from tests.scim_api.test_paging import seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="EXPLAIN (ANALYZE, BUFFERS) is PostgreSQL's"
    ),
]

USERS = 2000


def never_analysed(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_statistic WHERE starelid = %s::regclass)",
            [table],
        )
        return cursor.fetchone()[0]


def work(sql: str) -> tuple[int, int]:
    """Return (rows every plan node produced, shared buffers it hit or read) for a query."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]

    def rows(node):
        produced = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        return produced + sum(rows(child) for child in node.get("Plans", []))

    return rows(plan), plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)


@pytest.mark.parametrize("start", [1, 1001, 1901])
def test_a_page_of_a_never_analysed_table_reads_about_what_it_shows(scim, start):
    table = Employee._meta.db_table
    # A new heap and new indexes, as for a bulk load into a new installation: rows that
    # earlier tests inserted and rolled back would otherwise stay as dead entries (nothing
    # vacuums here) and count as work. Rolled back with the test.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} CASCADE")
    seed(USERS)
    assert never_analysed(table)

    with CaptureQueriesContext(connection) as queries:
        response = scim.get(f"Users?startIndex={start}&count=100")
    assert response.status_code == HTTPStatus.OK
    page = response.json()
    assert (page["totalResults"], page["itemsPerPage"]) == (USERS, 100)
    assert page["Resources"][0]["userName"] == f"user{start - 1:04d}@contoso.com"

    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    assert reads
    for sql in reads:
        rows, buffers = work(sql)
        if sql.startswith("SELECT COUNT(*)"):
            # totalResults: each row once or twice (an index, then the heap). Without a
            # visibility map (never vacuumed) every row costs a heap visit or two.
            assert rows <= 4 * USERS, sql
            assert buffers <= 4 * USERS, sql
        else:
            # Skipping to the page walks start + 100 index entries and their heap rows; the
            # page's rows and their managers are a few hundred buffers more. A nested loop
            # over the skipped rows (the plan missing statistics led to) grows with their
            # square: 1.9 million buffer hits at startIndex=1001 of 2,000.
            assert rows <= 4 * (start + 100) + 1000, sql
            assert buffers <= 4 * (start + 100) + 1000, sql
    assert never_analysed(table)


def test_reads_by_id_of_a_never_analysed_table_read_about_one_row(scim, api_client):
    # A lookup by a unique key carries no ORDER BY and no `deleted_at IS NULL`: with either,
    # the missing statistics led the planner to an ordered or partial index on live rows,
    # filtering every row (2,000 rows and about 100 buffers) instead of the unique index.
    table = Employee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} CASCADE")
    everyone = seed(USERS)
    assert never_analysed(table)
    target, manager = everyone[USERS // 2], everyone[-1]

    with CaptureQueriesContext(connection) as queries:
        patched = scim.patch_ops(
            target.public_id,
            {"op": "Replace", "path": f"{ENT}:manager", "value": str(manager.public_id)},
        )
        read = scim.get(f"Users/{target.public_id}")
        retrieved = api_client.get(f"/api/v1/employees/{manager.public_id}/")
    assert patched.status_code == HTTPStatus.OK
    assert read.json()[ENT]["manager"]["value"] == str(manager.public_id)
    assert retrieved.json()["user_name"] == manager.user_name

    reads = [
        q["sql"]
        for q in queries
        # Reads of employees themselves, not other tables' queries that join them.
        if q["sql"].startswith(f'SELECT "{table}".') and f'"{table}"."public_id" =' in q["sql"]
    ]
    # the locked employee, the new manager, the SCIM read, the API's employee
    assert len(reads) == 4
    for sql in reads:
        rows, buffers = work(sql.removesuffix(' FOR NO KEY UPDATE OF "employees_employee"'))
        assert rows <= 10, sql
        assert buffers <= 20, sql
