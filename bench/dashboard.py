"""Benchmark the HR dashboard at 100,000 employees: cold (figures computed) and warm (cached).

Usage (the same scratch database as bench/web_pages.py, seeded once):
    .venv/bin/python bench/dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench .venv/bin/python bench/dashboard.py
Options: BENCH_EMPLOYEES (default 100000), BENCH_RUNS (default 30).

Prints p50/p95 of the page with the cache emptied before every request (every figure
aggregated in SQL) and with the figures cached, and the home page as a reference measured in
the same run, so that runs on a busy machine compare by ratio. Target: cold p50 under 300 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from bench.web_pages import RUNS, seed
from tests.factories import HRAdminFactory


def timed(client: Client, url: str, *, clear: bool) -> list[float]:
    times = []
    for _ in range(RUNS):
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return sorted(times)


def report(label: str, times: list[float], reference: float) -> None:
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"{label:<44} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {p50 / reference:5.2f}x home")


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed()
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility map, as autovacuum keeps them on a live server
        # (the figures are read from index-only scans).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE employees_employee")
            cursor.execute("VACUUM ANALYZE provisioning_provisioningevent")
    user = HRAdminFactory(username="bench.dashboard")
    client = Client()
    client.force_login(user)
    for url in ("/", "/dashboard/"):
        client.get(url)  # warm up templates and connections
    home = timed(client, "/", clear=False)
    reference = statistics.median(home)
    print(f"{connection.vendor}, {RUNS} runs each")
    report("home (reference)", home, reference)
    report(
        "dashboard, cold (cache emptied each time)",
        timed(client, "/dashboard/", clear=True),
        reference,
    )
    report("dashboard, warm (figures cached)", timed(client, "/dashboard/", clear=False), reference)


if __name__ == "__main__":
    main()
