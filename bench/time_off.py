"""Benchmark time off at scale: the absence calendar, the approvals page and the accrual job.

Usage (SQLite in a scratch file by default, or any database):
    .venv/bin/python bench/time_off.py
    .venv/bin/python bench/time_off.py --employees 20000 \
        --database-url postgres://postgres@127.0.0.1:5432/alexis_time_off_bench

Seeds once (later runs with the same size reuse the data): employees in departments of
2,000, a year of approved requests (six each, 2 to 4 days), and one manager with 500
reports who each wait for approval. Pages go through Django's test client (server time,
no network or browser). Each page is measured beside a small reference of the same page
(a 50-person team's calendar, a manager with 5 pending requests), with the ratio.
Targets at 100,000 employees: each page under 100 ms p50; the accrual job under 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--employees", type=int, default=100_000)
parser.add_argument("--runs", type=int, default=20)
parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
args = parser.parse_args()
os.environ["DATABASE_URL"] = args.database_url or (
    f"sqlite:///{Path(tempfile.gettempdir()) / 'alexis_bench_time_off.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from employees.models import Employee  # noqa: E402
from organisation.models import Department  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from time_off.accrual import accrue  # noqa: E402
from time_off.models import (  # noqa: E402
    Accrual,
    Balance,
    LeaveType,
    LedgerEntry,
    Policy,
    Status,
    TimeOffRequest,
)

N = args.employees
RUNS = args.runs
DEPARTMENT = 2000
YEAR = 2026
MONTH = "2026-06"


def seed() -> None:
    if Employee.objects.count() == N + 6 and TimeOffRequest.objects.exists():
        print(f"Reusing {N} employees and their requests in {connection.vendor}.")
        return
    started = time.perf_counter()
    for model in (LedgerEntry, Balance, TimeOffRequest, Policy, LeaveType):
        model.objects.all()._raw_delete(connection.alias)
    Employee.objects.update(manager=None)
    Employee.objects.all().delete()
    Department.objects.all().delete()
    departments = Department.objects.bulk_create(
        Department(name=f"Department {n:03d}") for n in range(max(N // DEPARTMENT, 1))
    )
    Employee.objects.bulk_create(
        (
            Employee(
                user_name=f"user{i}@contoso.com",
                given_name=f"Given{i % 997}",
                family_name=f"Family{i % 1009}",
                work_email=f"user{i}@contoso.com",
                department_record_id=departments[i % len(departments)].pk,
                department=departments[i % len(departments)].name,
                start_date=dt.date(2020, 1, 1),
            )
            for i in range(N)
        ),
        batch_size=5000,
    )
    vacation = LeaveType.objects.create(name="Vacation")
    ids = list(Employee.objects.order_by("id").values_list("id", flat=True))
    january = dt.date(YEAR, 1, 5)
    batch: list[TimeOffRequest] = []
    for index, employee_id in enumerate(ids):
        for k in range(6):
            start = january + dt.timedelta(weeks=(index % 8) + 8 * k)
            batch.append(
                TimeOffRequest(
                    employee_id=employee_id,
                    leave_type=vacation,
                    start_date=start,
                    end_date=start + dt.timedelta(days=1 + index % 3),
                    amount=Decimal(2 + index % 3),
                    status=Status.APPROVED,
                )
            )
        if len(batch) >= 20_000:
            TimeOffRequest.objects.bulk_create(batch)
            batch = []
    TimeOffRequest.objects.bulk_create(batch)
    for name, reports in (("big.manager", 500), ("small.manager", 5)):
        user = UserFactory(username=name)
        manager = Employee.objects.create(
            user_name=f"{name}@contoso.com",
            given_name="Manager",
            family_name=name,
            work_email=f"{name}@contoso.com",
            user=user,
        )
        chosen = ids[:reports] if reports == 500 else ids[500:505]
        Employee.objects.filter(pk__in=chosen).update(manager=manager)
        TimeOffRequest.objects.bulk_create(
            TimeOffRequest(
                employee_id=employee_id,
                leave_type=vacation,
                start_date=dt.date(YEAR + 1, 3, 1),
                end_date=dt.date(YEAR + 1, 3, 2),
                amount=Decimal(2),
                status=Status.PENDING,
                approver=manager,
            )
            for employee_id in chosen
        )
    for n in range(4):
        Employee.objects.create(
            user_name=f"viewer{n}@contoso.com",
            given_name="Viewer",
            family_name=str(n),
            work_email=f"viewer{n}@contoso.com",
        )
    print(
        f"Seeded {N} employees and {TimeOffRequest.objects.count()} requests in "
        f"{time.perf_counter() - started:.0f} s ({connection.vendor})."
    )


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "employees_employee",
                "time_off_timeoffrequest",
                "time_off_balance",
                "time_off_ledgerentry",
                "organisation_department",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def measure(client: Client, label: str, url: str) -> float:
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"{label:<52} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(queries):3d} queries")
    return p50


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed()
    analyze()
    big = Employee.objects.get(user_name="big.manager@contoso.com")
    small = Employee.objects.get(user_name="small.manager@contoso.com")
    department = Department.objects.order_by("name").first()
    people = Employee.objects.filter(department_record=department).count()
    web = Client()
    web.force_login(big.user)
    small_web = Client()
    small_web.force_login(small.user)

    print(
        f"{N} employees, {TimeOffRequest.objects.count()} requests, {connection.vendor}, "
        f"{RUNS} runs each"
    )
    department_p50 = measure(
        web,
        f"calendar {MONTH}, department of {people}",
        f"/time-off/calendar/?month={MONTH}&department={department.pk}",
    )
    team_p50 = measure(
        web, f"calendar {MONTH}, my team (500)", f"/time-off/calendar/?month={MONTH}&mine=1"
    )
    small_p50 = measure(
        small_web,
        f"calendar {MONTH}, a team of 5 (reference)",
        f"/time-off/calendar/?month={MONTH}&mine=1",
    )
    print(
        f"  department / team of 5: {department_p50 / small_p50:.2f}x; "
        f"team of 500 / team of 5: {team_p50 / small_p50:.2f}x"
    )
    pending_p50 = measure(web, "approvals page, 500 pending", "/time-off/team/")
    few_p50 = measure(small_web, "approvals page, 5 pending (reference)", "/time-off/team/")
    print(f"  500 pending / 5 pending: {pending_p50 / few_p50:.2f}x")

    # The accrual job: a monthly policy for everyone, run on the first of a month (every
    # balance gets an entry), then again the same day (nothing to add).
    LedgerEntry.objects.all()._raw_delete(connection.alias)
    Balance.objects.all()._raw_delete(connection.alias)
    Policy.objects.all().delete()
    Policy.objects.create(
        name="Monthly vacation",
        leave_type=LeaveType.objects.get(name="Vacation"),
        yearly_allowance=Decimal("25"),
        accrual=Accrual.MONTHLY,
    )
    started = time.perf_counter()
    added = accrue(today=dt.date(YEAR, 1, 1))
    first = time.perf_counter() - started
    print(f"accrual job, first run (creates balances):          {first:7.1f} s  {added} entries")
    analyze()
    started = time.perf_counter()
    added = accrue(today=dt.date(YEAR, 2, 1))
    monthly = time.perf_counter() - started
    print(f"accrual job, a month's accrual for everyone:        {monthly:7.1f} s  {added} entries")
    started = time.perf_counter()
    added = accrue(today=dt.date(YEAR, 2, 2))
    idle = time.perf_counter() - started
    print(f"accrual job, a day with nothing due:                {idle:7.1f} s  {added} entries")


if __name__ == "__main__":
    main()
