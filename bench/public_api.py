"""Measure public API latency against gunicorn on 127.0.0.1 with a seeded database.

    DJANGO_DEBUG=true .venv/bin/python -m bench.public_api --employees 5000 --requests 200

Seeds a fresh SQLite file (or the database in DATABASE_URL, which must be disposable),
starts gunicorn on 127.0.0.1:8102 (--port), sends sequential requests with a
read-and-write token and prints the median and 95th percentile per request kind.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(count: int) -> tuple[str, str]:
    """Migrate, create `count` employees and a token; return (token, an employee id)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.contrib.auth.models import Group, User

    from access_tokens.models import Scope
    from access_tokens.services import access_token_create
    from accounts.roles import OWNER
    from employees.models import Employee

    Employee.objects.all().delete()
    boss = Employee.objects.create(
        user_name="boss@bench.example",
        given_name="Boss",
        family_name="Bench",
        work_email="boss@bench.example",
        department="Sales",
    )
    departments = ["Sales", "Engineering", "Research", "Finance", "Legal"]
    Employee.objects.bulk_create(
        Employee(
            user_name=f"person{n}@bench.example",
            given_name=f"Given{n}",
            family_name=f"Family{n:06d}",
            work_email=f"person{n}@bench.example",
            department=departments[n % len(departments)],
            title="Engineer" if n % 2 else "Analyst",
            manager=boss,
        )
        for n in range(count - 1)
    )
    owner, _ = User.objects.get_or_create(username="bench-owner")
    owner.groups.add(Group.objects.get(name=OWNER))
    token = access_token_create(
        name=f"bench {time.time()}", scopes=[Scope.API_READ, Scope.API_WRITE], created_by=owner
    )
    return token.plaintext, str(boss.public_id)


def timed(url: str, token: str, method: str = "GET", body: dict | None = None) -> float:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        if response.status not in (200, 201):
            raise RuntimeError(f"{method} {url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8102)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="alexis-bench-")
    env = {
        "DJANGO_SETTINGS_MODULE": "alexis.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "ALEXIS_API_THROTTLE_RATE": "1000000/minute",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"),
    }
    setup_django(env)
    token, boss_id = seed(args.employees)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "alexis.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{base}/api/v1/schema/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        kinds = {
            "list 50": f"{base}/api/v1/employees/",
            "list 200 filtered+sorted": f"{base}/api/v1/employees/?limit=200"
            "&filter[title][contains]=eng&sort=-family_name",
            "retrieve": f"{base}/api/v1/employees/{boss_id}/",
            "reports 200": f"{base}/api/v1/employees/{boss_id}/reports/?limit=200",
            "departments": f"{base}/api/v1/departments/",
        }
        print(
            f"{args.employees} employees, {args.requests} sequential requests each, "
            f"gunicorn 2 workers, {env['DATABASE_URL'].split(':')[0]}"
        )
        for name, url in kinds.items():
            timed(url, token)
            samples = sorted(timed(url, token) for _ in range(args.requests))
            p95 = samples[int(len(samples) * 0.95) - 1]
            print(f"  {name:28s} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms")
        samples = sorted(
            timed(f"{base}/api/v1/employees/{boss_id}/", token, "PATCH", {"title": f"Director {n}"})
            for n in range(args.requests)
        )
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(f"  {'patch':28s} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
