"""Benchmark custom field filters at 100,000 employees; prints ms per query and ratios.

Usage (PostgreSQL, a database of your own for benchmarks; SQLite works for a rough look):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench_cf .venv/bin/python \\
        bench/custom_fields.py
Options: BENCH_EMPLOYEES (default 100000), BENCH_RUNS (default 200).

Each employee holds three custom values in Employee.custom_fields (a badge number unique to
them, a colour out of five, a salary band out of ten). The reference is the same question
asked of a built-in indexed column (employee_number, unique; department, one in twenty).
Each query reads the first page of matches (50 rows, by id) the way SCIM and the directory
do. "GIN" is the containment test the app uses on PostgreSQL (custom_fields @> ...), served
by the jsonb_path_ops index; "no index" is the same question as a key comparison
(custom_fields -> 'name' = ...), which the index cannot serve.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'alexis_bench_cf.sqlite3'}"
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from custom_fields.models import CustomField, FieldType  # noqa: E402
from custom_fields.services import custom_field_create  # noqa: E402
from custom_fields.values import equals_q  # noqa: E402
from employees.models import Employee  # noqa: E402

N = int(os.environ.get("BENCH_EMPLOYEES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
COLOURS = ["Red", "Green", "Blue", "Yellow", "Black"]
BATCH = 5000


def seed() -> None:
    call_command("migrate", verbosity=0)
    if Employee.objects.count() >= N:
        return
    Employee.objects.all().delete()
    CustomField.objects.all().delete()
    custom_field_create(name="badgeNumber", field_type=FieldType.TEXT)
    custom_field_create(name="badgeColor", field_type=FieldType.CHOICE, choices=COLOURS)
    custom_field_create(name="salaryBand", field_type=FieldType.NUMBER)
    for start in range(0, N, BATCH):
        Employee.objects.bulk_create(
            Employee(
                user_name=f"person{i}@contoso.com",
                given_name="Given",
                family_name=f"Family{i % 997}",
                work_email=f"person{i}@contoso.com",
                employee_number=f"E{i:06d}",
                department=f"Department {i % 20}",
                custom_fields={
                    "badgeNumber": f"B{i:06d}",
                    "badgeColor": COLOURS[i % len(COLOURS)],
                    "salaryBand": i % 10,
                },
            )
            for i in range(start, min(start + BATCH, N))
        )
    analyze()


def analyze() -> None:
    """Plan with real statistics, and fold GIN's pending entries into the index (what
    autovacuum does in production; it may be off here)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("SELECT gin_clean_pending_list('employee_custom_fields_gin')")


def definition(name: str) -> CustomField:
    return CustomField.objects.get(name=name)


def timed(condition: Q, values: list) -> float:
    """Return the median ms to read the first 50 matches, over RUNS different values."""
    times = []
    for run in range(RUNS):
        value = values[run % len(values)]
        qs = Employee.objects.filter(condition(value), deleted_at__isnull=True).order_by("id")
        started = time.perf_counter()
        list(qs[:50])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    seed()
    analyze()
    badge = definition("badgeNumber")
    colour = definition("badgeColor")
    numbers = [f"B{(i * 7919) % N:06d}" for i in range(RUNS)]
    employee_numbers = [f"E{(i * 7919) % N:06d}" for i in range(RUNS)]
    print(f"{connection.vendor}, {Employee.objects.count()} employees, {RUNS} runs, median ms")

    rows = [
        (
            "reference: employee_number eq (unique)",
            timed(lambda v: Q(employee_number=v), employee_numbers),
        ),
        ("custom text eq, GIN containment", timed(lambda v: equals_q(badge, v), numbers)),
        (
            "custom text eq, key compare (no index)",
            timed(lambda v: Q(custom_fields__badgeNumber=v), numbers),
        ),
        (
            "reference: department eq (1 in 20)",
            timed(lambda v: Q(department=v), [f"Department {i}" for i in range(20)]),
        ),
        ("custom choice eq (1 in 5), GIN", timed(lambda v: equals_q(colour, v), COLOURS)),
        (
            "custom number gt (band > 8: 1 in 10)",
            timed(lambda v: Q(custom_fields__salaryBand__gt=v), [8]),
        ),
    ]
    reference_unique = rows[0][1]
    for label, ms in rows:
        print(f"{label:45} {ms:8.3f} ms   x{ms / reference_unique:7.2f} of the unique reference")


if __name__ == "__main__":
    main()
