"""Benchmark the team pages, the team directory filter, the team admin and the team API.

Usage (SQLite in a scratch file by default, or any DATABASE_URL):
    .venv/bin/python bench/teams.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alexis_teams .venv/bin/python bench/teams.py
Options: BENCH_EMPLOYEES (default 50000), BENCH_TEAMS (default 500), BENCH_RUNS (default 20).

Seeds once (later runs reuse the data): employees, one team of 10,000 members, and
BENCH_TEAMS smaller teams of 5 to 500 members. Requests go through Django's test client,
so the figures are server time without network or browser; each line prints p50, p95 and
the queries of one request.
"""

from __future__ import annotations

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
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'alexis_bench_teams.sqlite3'}"
)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from access_tokens.models import Scope  # noqa: E402
from access_tokens.services import access_token_create  # noqa: E402
from employees.models import Employee  # noqa: E402
from teams.models import Team, TeamMembership  # noqa: E402
from tests.factories import HRAdminFactory, OwnerFactory  # noqa: E402

N = int(os.environ.get("BENCH_EMPLOYEES", "50000"))
TEAMS = int(os.environ.get("BENCH_TEAMS", "500"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
BIG_TEAM = 10_000


def seed() -> None:
    if Employee.objects.count() >= N and Team.objects.count() > TEAMS:
        print(f"Reusing {N} employees and {TEAMS + 1} teams in {connection.vendor}.")
        return
    TeamMembership.objects.all().delete()
    Team.objects.all().delete()
    Employee.objects.all().delete()
    rng = random.Random(11)
    started = time.perf_counter()
    Employee.objects.bulk_create(
        (
            Employee(
                user_name=f"user{i}@contoso.com",
                given_name=f"Given{i % 997}",
                family_name=f"Family{i % 1009}",
                work_email=f"user{i}@contoso.com",
                department=f"Department {i % 30:02d}",
            )
            for i in range(N)
        ),
        batch_size=5000,
    )
    ids = list(Employee.objects.order_by("id").values_list("id", flat=True))
    big = Team.objects.create(display_name="Everyone in the first ten thousand")
    memberships = [TeamMembership(team=big, employee_id=pk) for pk in ids[:BIG_TEAM]]
    for n in range(TEAMS):
        team = Team.objects.create(display_name=f"Team {n:04d}", external_id=f"group-{n}")
        memberships.extend(
            TeamMembership(team=team, employee_id=pk) for pk in rng.sample(ids, rng.randint(5, 500))
        )
    TeamMembership.objects.bulk_create(memberships, batch_size=5000)
    print(
        f"Seeded {N} employees, {TEAMS + 1} teams, {len(memberships)} memberships in "
        f"{time.perf_counter() - started:.0f} s ({connection.vendor})."
    )


def measure(client: Client, label: str, url: str, **headers: str) -> None:
    for _ in range(2):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries: list[str] = []

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
        f"{label:<46} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(queries):3d} queries"
    )


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    settings.ALEXIS_API_THROTTLE_RATE = "1000000/minute"
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("employees_employee", "teams_team", "teams_teammembership"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    big = Team.objects.get(display_name="Everyone in the first ten thousand")
    member = Employee.objects.order_by("id").first()
    web = Client()
    web.force_login(HRAdminFactory(username=f"bench.hr.{time.time_ns()}"))
    staff = Client()
    staff.force_login(HRAdminFactory(username=f"bench.staff.{time.time_ns()}", is_staff=True))
    owner = OwnerFactory(username=f"bench.owner.{time.time_ns()}")
    token = access_token_create(name="Bench", scopes=[Scope.API_READ], created_by=owner)
    api = Client(headers={"Authorization": f"Bearer {token.plaintext}"})

    print(f"{N} employees, {TEAMS + 1} teams, {connection.vendor}, {RUNS} runs each")
    measure(web, "teams list", "/teams/")
    measure(web, "teams list page 10", "/teams/?page=10")
    measure(web, "team of 10,000, members page 1", f"/teams/{big.public_id}/")
    measure(web, "team of 10,000, members page 200", f"/teams/{big.public_id}/?page=200")
    measure(web, "directory filtered by the team of 10,000", f"/employees/?team={big.public_id}")
    measure(
        web,
        "directory, team of 10,000, page 100",
        f"/employees/?team={big.public_id}&page=100&sort=-title",
    )
    measure(web, "profile of a member (teams listed)", f"/employees/{member.public_id}/")
    measure(staff, "admin team changelist", "/admin/teams/team/")
    measure(staff, "admin team change page", f"/admin/teams/team/{big.pk}/change/")
    measure(
        staff,
        "admin members of the team of 10,000",
        f"/admin/teams/teammembership/?team__id__exact={big.pk}",
    )
    measure(
        api, "API teams, limit 200, by member count", "/api/v1/teams/?limit=200&sort=-member_count"
    )
    measure(api, "API team of 10,000", f"/api/v1/teams/{big.public_id}/")
    measure(
        api,
        "API members of 10,000, limit 200, offset 9800",
        f"/api/v1/teams/{big.public_id}/members/?limit=200&offset=9800",
    )
    measure(api, "API an employee's teams", f"/api/v1/employees/{member.public_id}/teams/")


if __name__ == "__main__":
    main()
