"""Benchmark checklists at 100,000 employees: the HR overview with 5,000 running checklists,
"my tasks", and the end-date job for 1,000 leavers whose last day has ended.

Usage (the same scratch database as bench/web_pages.py, seeded once):
    .venv/bin/python bench/checklists.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_bench \
        .venv/bin/python bench/checklists.py
Options: BENCH_EMPLOYEES (default 100000), BENCH_RUNS (default 30).

Prints p50/p95 of each page beside the home page measured in the same run (so that runs on a
busy machine compare by ratio), and the job's wall time for 1,000 leavers (sessions ended,
accounts disabled, one row each). Targets: pages under 100 ms p50; the job under 10 s.
On PostgreSQL the overview is measured again with the planner's statistics of its tables
removed (in a transaction rolled back afterwards), as after a bulk load before autovacuum
has analysed it: its plans must not depend on fresh statistics.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.web_pages import RUNS, seed  # noqa: I001 (sets Django up first)

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.template import Template
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from checklists.models import (
    AssigneeRole,
    Checklist,
    ChecklistKind,
    ChecklistStatus,
    ChecklistTask,
    ChecklistTemplate,
    EndOfAccess,
)
from checklists.tasks import checklist_access_end
from employees.models import Employee
from tests.factories import HRAdminFactory, UserFactory

RUNNING = 5_000
FINISHED = 5_000
TASKS_PER_CHECKLIST = 8
LEAVERS = 1_000
ROLES = [
    AssigneeRole.MANAGER,
    AssigneeRole.IT,
    AssigneeRole.HR,
    AssigneeRole.EMPLOYEE,
    AssigneeRole.MANAGER,
    AssigneeRole.IT,
    AssigneeRole.MANAGER,
    AssigneeRole.HR,
]


def seed_checklists(manager: Employee) -> None:
    if Checklist.objects.filter(status=ChecklistStatus.RUNNING).count() >= RUNNING:
        print("Reusing the checklists.")
        return
    Checklist.objects.all().delete()
    ChecklistTemplate.objects.all().delete()
    rng = random.Random(18)
    template = ChecklistTemplate.objects.create(name="Onboarding", kind=ChecklistKind.ONBOARDING)
    today = timezone.localdate()
    ids = list(
        Employee.objects.filter(deleted_at__isnull=True)
        .exclude(pk=manager.pk)
        .values_list("pk", "manager_id")[: RUNNING + FINISHED]
    )
    started = time.perf_counter()
    for index, (employee_id, manager_id) in enumerate(ids):
        running = index < RUNNING
        anchor = today + dt.timedelta(days=rng.randint(-40, 30))
        checklist = Checklist(
            employee_id=employee_id,
            template=template,
            name="Onboarding",
            kind=ChecklistKind.ONBOARDING,
            event_key="onboarding:1",
            status=ChecklistStatus.RUNNING if running else ChecklistStatus.COMPLETED,
            anchor_date=anchor,
            task_count=TASKS_PER_CHECKLIST,
            done_count=0 if running else TASKS_PER_CHECKLIST,
        )
        checklist.save()
        # The bench manager manages 1 in 100 of the joiners: about 150 open tasks.
        person = manager.pk if index % 100 == 0 else manager_id
        ChecklistTask.objects.bulk_create(
            ChecklistTask(
                checklist=checklist,
                title=f"Task {n}",
                assignee_role=role,
                assignee_employee_id=(
                    employee_id
                    if role == AssigneeRole.EMPLOYEE
                    else person
                    if role == AssigneeRole.MANAGER
                    else None
                ),
                offset_days=n * 3 - 12,
                due_date=anchor + dt.timedelta(days=n * 3 - 12),
                position=n,
                is_open=running and rng.random() > 0.3,
            )
            for n, role in enumerate(ROLES)
        )
    print(f"Seeded {len(ids)} checklists in {time.perf_counter() - started:.0f} s.")


def seed_leavers(yesterday: dt.date) -> list[int]:
    """1,000 employees whose last day was yesterday, each with a sign-in account."""
    existing = Employee.objects.filter(user__username__startswith="bench.leaver.")
    if existing.count() >= LEAVERS:
        leavers = list(existing.values_list("pk", flat=True)[:LEAVERS])
        Employee.objects.filter(pk__in=leavers).update(end_date=yesterday, start_date=None)
        return leavers
    leavers = list(
        Employee.objects.filter(deleted_at__isnull=True, user__isnull=True)
        .order_by("-id")
        .values_list("pk", flat=True)[:LEAVERS]
    )
    linked = set(
        Employee.objects.filter(user__username__startswith="bench.leaver.").values_list(
            "pk", flat=True
        )
    )
    User = get_user_model()
    with transaction.atomic():
        for pk in leavers:
            if pk in linked:
                continue
            user = User.objects.create(username=f"bench.leaver.{pk}")
            Employee.objects.filter(pk=pk).update(user=user)
    leavers = list(existing.values_list("pk", flat=True)[:LEAVERS])
    Employee.objects.filter(pk__in=leavers).update(end_date=yesterday, start_date=None)
    return leavers


def timed(client: Client, url: str) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return sorted(times)


def report(label: str, times: list[float], reference: float) -> None:
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"{label:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {p50 / reference:5.2f}x home")


STATISTICS_TABLES = ("checklists_checklist", "checklists_checklisttask", "employees_employee")


def overview_without_statistics(client: Client, reference: float) -> None:
    """Measure the overview as the planner sees tables it has no statistics for."""
    with transaction.atomic(), connection.cursor() as cursor:
        tables = ", ".join(f"'{table}'::regclass" for table in STATISTICS_TABLES)
        cursor.execute(f"DELETE FROM pg_statistic WHERE starelid IN ({tables})")  # noqa: S608
        cursor.execute(
            f"UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid IN ({tables})"  # noqa: S608
        )
        report("HR overview, page 1, no statistics", timed(client, "/checklists/"), reference)
        report(
            "HR overview, page 50, no statistics", timed(client, "/checklists/?page=50"), reference
        )
        report(
            "HR overview, only overdue, no statistics",
            timed(client, "/checklists/?overdue=on"),
            reference,
        )
        transaction.set_rollback(True)


def main() -> None:
    logging.disable(logging.INFO)  # one line per leaver would drown the numbers
    production_render = Template._render
    setup_test_environment()
    # Render as production does: the test environment's hook has the test client copy the
    # context of every template and include rendered, a third of a table page's time.
    Template._render = production_render
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed()
    manager_user = get_user_model().objects.filter(username="bench.manager").first()
    if manager_user is None:
        manager_user = UserFactory(username="bench.manager")
        Employee.objects.filter(pk=Employee.objects.order_by("id").values("pk")[:1]).update(
            user=manager_user
        )
    manager = Employee.objects.get(user=manager_user)
    seed_checklists(manager)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    leavers = seed_leavers(yesterday)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "employees_employee",
                "checklists_checklist",
                "checklists_checklisttask",
                "checklists_endofaccess",
                "auth_user",
            ):
                cursor.execute(f"ANALYZE {table}")
    hr = get_user_model().objects.filter(username="bench.checklists.hr").first()
    hr = hr or HRAdminFactory(username="bench.checklists.hr")
    hr_client, manager_client = Client(), Client()
    hr_client.force_login(hr)
    manager_client.force_login(manager_user)
    for client, url in (
        (hr_client, "/"),
        (hr_client, "/checklists/"),
        (manager_client, "/checklists/my-tasks/"),
    ):
        client.get(url)  # warm up templates and connections

    running = Checklist.objects.filter(status=ChecklistStatus.RUNNING).count()
    print(
        f"{connection.vendor}, {Employee.objects.count()} employees, {running} running "
        f"checklists, {ChecklistTask.objects.count()} tasks; {RUNS} runs each"
    )
    home = timed(hr_client, "/")
    reference = statistics.median(home)
    report("HR home (reference)", home, reference)
    report("HR overview, page 1", timed(hr_client, "/checklists/"), reference)
    report("HR overview, page 50", timed(hr_client, "/checklists/?page=50"), reference)
    report("HR overview, only overdue", timed(hr_client, "/checklists/?overdue=on"), reference)
    report("my tasks, a manager", timed(manager_client, "/checklists/my-tasks/"), reference)
    report("my tasks, HR (every HR task)", timed(hr_client, "/checklists/my-tasks/"), reference)
    if connection.vendor == "postgresql":
        overview_without_statistics(hr_client, reference)

    # The end-date job: reset the leavers, then run it once for all of them.
    extra = Employee.objects.filter(user__username__startswith="bench.leaver.").exclude(
        pk__in=leavers
    )
    extra.update(end_date=None)
    EndOfAccess.objects.filter(employee_id__in=leavers).delete()
    get_user_model().objects.filter(employee__pk__in=leavers).update(is_active=True)
    started = time.perf_counter()
    result = checklist_access_end.call()
    elapsed = time.perf_counter() - started
    disabled = get_user_model().objects.filter(employee__pk__in=leavers, is_active=False).count()
    print(
        f"end-date job: {result['ended']} leavers' access ended in {elapsed:.2f} s "
        f"({disabled} accounts disabled); target under 10 s"
    )
    started = time.perf_counter()
    again = checklist_access_end.call()
    print(f"end-date job again (nothing to do): {again} in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
