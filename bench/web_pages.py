"""Benchmark the HR web app pages at 100,000 employees; prints p50/p95 and query counts.

Usage (SQLite in a scratch file by default, or any DATABASE_URL):
    .venv/bin/python bench/web_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench .venv/bin/python bench/web_pages.py
Options: BENCH_EMPLOYEES (default 100000), BENCH_RUNS (default 30).

The database is migrated and seeded once (bulk inserts: an 8-ary manager tree, one manager
with 500 direct reports, non-ASCII names, 30% HR-managed, 5% inactive); later runs reuse it.
Pages are rendered through Django's test client, so the figures are server time without
network or browser.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'alexis_bench_web.sqlite3'}"
)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from employees.models import ChangeAction, Channel, Employee, EmployeeChange  # noqa: E402
from self_service.models import ChangeRequest  # noqa: E402
from tests.factories import HRAdminFactory  # noqa: E402

N = int(os.environ.get("BENCH_EMPLOYEES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
BIG_TEAM = 500

GIVEN = [
    "Åsa",
    "José",
    "Zoë",
    "Björn",
    "Chloé",
    "Łukasz",
    "Anna",
    "Mohammed",
    "Wei",
    "Priya",
    "Ólafur",
    "Noémie",
    "Søren",
    "Ingrid",
    "Kenji",
    "Amara",
    "Liam",
    "Sofía",
    "Jürgen",
    "Emma",
]
FAMILY = [
    "Öberg",
    "Núñez",
    "Brontë",
    "Ødegaard",
    "Müller",
    "Smith",
    "García",
    "Kowalski",
    "Nakamura",
    "Okafor",
    "Johansson",
    "Dubois",
    "Rossi",
    "Kim",
    "Patel",
    "Ångström",
    "O'Brien",
    "Schmidt",
    "Lefèvre",
    "Yilmaz",
]
TITLES = [
    "Engineer",
    "Senior Engineer",
    "Product Manager",
    "Designer",
    "Accountant",
    "Recruiter",
    "Sales Executive",
    "Support Specialist",
    "Data Analyst",
    "Director",
]
DEPARTMENTS = [f"Department {i:02d}" for i in range(30)]
DIVISIONS = ["Technology", "Operations", "Commercial", "Corporate", "Research"]
ORGANIZATIONS = ["Contoso Ltd", "Contoso GmbH", "Contoso Inc"]
COST_CENTERS = [f"CC-{i:03d}" for i in range(60)]


def seed() -> None:
    have = Employee.objects.count()
    if have >= N:
        print(f"Reusing {have} employees in {connection.vendor}.")
        return
    Employee.objects.all().delete()
    rng = random.Random(7)
    now = timezone.now()
    today = timezone.localdate()
    ids: list[int] = []
    batch: list[Employee] = []
    started = time.perf_counter()

    def flush() -> None:
        created = Employee.objects.bulk_create(batch)
        ids.extend(e.pk for e in created)
        batch.clear()

    for i in range(N):
        # An 8-ary tree, except the last BIG_TEAM employees: one manager's very large team.
        manager_index = ((i - 1) // 8 if i else None) if i < N - BIG_TEAM else 1
        if manager_index is not None and manager_index >= len(ids):
            flush()
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        batch.append(
            Employee(
                user_name=f"user{i}@contoso.com",
                external_id=f"ext-{i}",
                given_name=given,
                family_name=family,
                display_name=f"{given} {family}",
                title=rng.choice(TITLES),
                work_email=f"user{i}@contoso.com",
                employee_number=f"E{i:07d}",
                department=rng.choice(DEPARTMENTS),
                cost_center=rng.choice(COST_CENTERS),
                division=rng.choice(DIVISIONS),
                organization=rng.choice(ORGANIZATIONS),
                manager_id=ids[manager_index] if manager_index is not None else None,
                active=rng.random() > 0.05,
                start_date=today - dt.timedelta(days=rng.randint(-20, 3000)),
                last_synced_at=now if rng.random() < 0.7 else None,
            )
        )
        if len(batch) >= 5000:
            flush()
    flush()
    EmployeeChange.objects.bulk_create(
        (
            EmployeeChange(employee_id=pk, action=ChangeAction.CREATED, channel=Channel.SCIM)
            for pk in ids
        ),
        batch_size=5000,
    )
    print(f"Seeded {N} employees in {time.perf_counter() - started:.0f} s ({connection.vendor}).")


def measure(client: Client, label: str, url: str, **headers: str) -> None:
    for _ in range(3):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, headers=headers)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(
        f"{label:<44} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(queries):3d} queries"
    )


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed()
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility map, as autovacuum keeps them on a live server.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE employees_employee")
            cursor.execute("VACUUM ANALYZE employees_employeechange")
    user = HRAdminFactory(username="bench.hradmin")
    client = Client()
    client.force_login(user)
    big_manager = Employee.objects.order_by("id")[1]
    deep = Employee.objects.order_by("-id")[BIG_TEAM + 1]
    print(f"{N} employees, {connection.vendor}, {RUNS} runs each")
    measure(client, "home", "/")
    measure(client, "directory", "/employees/")
    measure(client, "directory page 1000", "/employees/?page=1000")
    measure(client, "directory sorted by title, descending", "/employees/?sort=-title")
    measure(
        client,
        "directory search 'öberg' (fragment)",
        "/employees/?q=%C3%B6berg",
        **{"X-Requested-With": "fetch"},
    )
    measure(client, "directory search 'e' (one letter)", "/employees/?q=e")
    measure(client, "directory search 'josé núñez'", "/employees/?q=jos%C3%A9+n%C3%BA%C3%B1ez")
    measure(client, "directory search 'user4242' (rare)", "/employees/?q=user4242")
    measure(client, "directory search 'zz-none' (no match)", "/employees/?q=zz-none")
    measure(
        client,
        "directory filter department+active+SCIM",
        "/employees/?department=Department+07&status=active&source=scim",
    )
    measure(client, "profile (manager of 500)", f"/employees/{big_manager.public_id}/")
    measure(client, "profile (deep in the tree)", f"/employees/{deep.public_id}/")
    measure(
        client, "org chart from the manager of 500", f"/org-chart/?root={big_manager.public_id}"
    )
    measure(
        client,
        "org chart children, page 10 of 500",
        f"/org-chart/{big_manager.public_id}/children/?page=10",
    )
    measure(client, "org chart, top", "/org-chart/")
    measure(client, "departments chart", "/organisation/departments/chart/")
    ChangeRequest.objects.all().delete()
    ChangeRequest.objects.bulk_create(
        ChangeRequest(employee_id=pk, field="home_address", new_value="1 Main Street")
        for pk in Employee.objects.order_by("id").values_list("id", flat=True)[:50]
    )
    measure(client, "approvals, 50 waiting", "/approvals/")
    Employee.objects.filter(user=user).update(user=None)
    Employee.objects.filter(pk=deep.pk).update(user=user)
    measure(client, "my personal details", "/me/personal-details/")
    started = time.perf_counter()
    response = client.get("/employees/export.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"{'CSV export of all employees':<44} {time.perf_counter() - started:7.2f} s  "
        f"{size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
