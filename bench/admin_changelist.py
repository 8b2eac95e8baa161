"""Benchmark the Django admin's employee changelist at scale.

Usage (seeds the database named by DATABASE_URL if it has fewer employees than asked):

    DJANGO_DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench \
        .venv/bin/python bench/admin_changelist.py --employees 100000

Prints p50/p95 in milliseconds and the number of queries for the plain changelist, a search,
a filter and the change page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from employees.models import Employee  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    existing = Employee.objects.count()
    if existing < args.employees:
        Employee.objects.all().delete()
        call_command("seed_demo", employees=args.employees, verbosity=0)
    setup_test_environment()
    from django.contrib.auth import get_user_model

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    some = Employee.objects.order_by("id")[500]
    pages = {
        "changelist": "/admin/employees/employee/",
        "changelist page 50": "/admin/employees/employee/?p=50",
        "search 'andersson'": "/admin/employees/employee/?q=andersson",
        "filter department": "/admin/employees/employee/?department=Sales",
        "change page": f"/admin/employees/employee/{some.pk}/change/",
    }
    print(f"{connection.vendor}, {Employee.objects.count()} employees, {args.runs} runs each")
    for name, url in pages.items():
        p50, p95, queries = measure(client, url, args.runs)
        print(f"{name:22s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
