"""Benchmark an employee import: the preview and the import of a 10,000-row file.

Usage (PostgreSQL, a database of your own for benchmarks; SQLite works for a rough look):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench_imports .venv/bin/python \\
        bench/imports.py
Options: BENCH_ROWS (default 10000), BENCH_EXISTING (employees already there, default 10000),
BENCH_PREVIEW_ONLY=1 (stop after the preview, e.g. to see the memory of 100,000 rows).

The file has BENCH_ROWS rows: half update existing employees (a new title and a manager),
half are new, each with a phone and a department out of twenty; new employees form teams of
ten under a lead and ten leads under a head, both later rows of the same file. Prints the
seconds of the preview and of the import against the targets (30 s and 60 s), the time per
row, the same file
previewed again after the import (everything unchanged), and as a reference measured side
by side the seconds a plain bulk INSERT of the existing employees took: on a shared machine
the ratio to it says more than the seconds.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("ALEXIS_TASK_BACKEND", "immediate")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'alexis_bench_imports.sqlite3'}"
)

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from employees.models import Employee  # noqa: E402
from imports.models import EmployeeImport  # noqa: E402
from imports.services import (  # noqa: E402
    import_apply_start,
    import_check_start,
    import_upload,
)

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
EXISTING = int(os.environ.get("BENCH_EXISTING", "10000"))
HEADERS = [
    "User name",
    "Given name",
    "Family name",
    "Work email",
    "Work phone",
    "Title",
    "Department",
    "Manager",
    "Start date",
]


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed() -> tuple[User, float]:
    """Load the existing employees; return the seconds that plain bulk INSERT took (the
    reference: the same machine, at the same moment, writing rows without any checks)."""
    call_command("migrate", verbosity=0)
    EmployeeImport.objects.all().delete()
    Employee.objects.all().delete()
    started = time.perf_counter()
    Employee.objects.bulk_create(
        Employee(
            user_name=f"old{i}@contoso.com",
            given_name="Old",
            family_name=f"Family{i}",
            work_email=f"old{i}@contoso.com",
            title="Engineer",
        )
        for i in range(EXISTING)
    )
    reference = time.perf_counter() - started
    analyze()
    user, _ = User.objects.get_or_create(username="bench-hr")
    return user, reference


def build_file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    half = ROWS // 2
    for i in range(ROWS):
        if i < half and i < EXISTING:
            name, given, family, title = f"old{i}@contoso.com", "Old", f"Family{i}", "Analyst"
            manager = f"old{i - i % 10}@contoso.com" if i % 10 else ""
        else:
            name, given, family, title = f"new{i}@contoso.com", "New", f"Family{i}", "Engineer"
            # Teams of ten under a lead, ten leads under a head: both later rows of the file.
            if i % 100 == 99:
                head = None
            elif i % 10 == 9:
                head = i // 100 * 100 + 99
            else:
                head = i // 10 * 10 + 9
            manager = f"new{head}@contoso.com" if head is not None and head < ROWS else ""
        phone = f"+4670{i % 10_000_000:07d}"
        writer.writerow(
            [name, given, family, name, phone, title, f"Department {i % 20}", manager, "2026-01-05"]
        )
    return buffer.getvalue().encode()


def preview(user: User, content: bytes) -> tuple[EmployeeImport, float]:
    """Upload the file and time its checks (the immediate task backend runs them at commit)."""
    employee_import = import_upload(
        uploaded_file=SimpleUploadedFile("bench.csv", content), user=user
    )
    mapping = {int(k): v for k, v in employee_import.mapping.items()}
    started = time.perf_counter()
    import_check_start(employee_import=employee_import, mapping=mapping, override_entra=False)
    employee_import.refresh_from_db()
    return employee_import, time.perf_counter() - started


def apply(user: User, employee_import: EmployeeImport) -> tuple[EmployeeImport, float]:
    started = time.perf_counter()
    import_apply_start(employee_import=employee_import, user=user)
    employee_import.refresh_from_db()
    return employee_import, time.perf_counter() - started


def main() -> None:
    user, reference = seed()
    content = build_file()
    load = os.getloadavg()[0]
    print(
        f"{connection.vendor}: {ROWS} rows ({len(content) / 1e6:.1f} MB), {EXISTING} employees; "
        f"load average {load:.1f} on {os.cpu_count()} cores; reference: a plain bulk INSERT of "
        f"the {EXISTING} employees took {reference:.1f} s ({1000 * reference / EXISTING:.2f} ms "
        "per row)"
    )
    checked, preview_seconds = preview(user, content)
    # The process's peak resident memory so far (kB on Linux), file and employees included.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"preview: {preview_seconds:.1f} s (target 30 s, ratio {preview_seconds / 30:.2f}; "
        f"{preview_seconds / reference:.1f} x the reference), "
        f"{1000 * preview_seconds / ROWS:.2f} ms per row, peak memory of the process "
        f"{peak_mb:.0f} MB; new {checked.new_count}, update {checked.update_count}, "
        f"unchanged {checked.unchanged_count}, errors {checked.error_count}"
    )
    if os.environ.get("BENCH_PREVIEW_ONLY"):
        return
    analyze()
    applied, apply_seconds = apply(user, checked)
    print(
        f"import: {apply_seconds:.1f} s (target 60 s, ratio {apply_seconds / 60:.2f}; "
        f"{apply_seconds / reference:.1f} x the reference), "
        f"{1000 * apply_seconds / ROWS:.2f} ms per row; imported {applied.applied_count}, "
        f"not imported {applied.failed_count}"
    )
    analyze()
    again, again_seconds = preview(user, content)
    print(
        f"preview of the same file again: {again_seconds:.1f} s; unchanged "
        f"{again.unchanged_count} of {ROWS} (re-importing changes nothing)"
    )


if __name__ == "__main__":
    main()
