"""Benchmark the SCIM endpoint the way Entra ID drives it, under gunicorn on PostgreSQL.

Seeds N employees (with a manager tree), starts gunicorn on 127.0.0.1, creates a provisioning
token, then C concurrent clients each replay Entra-like cycles: filter by userName, create,
set the manager, update attributes, disable, and GET to verify that every attribute arrived.
Prints throughput, p50/p95/p99 per operation, errors and mismatches. Then, with --big
employees, measures a single client's filtered GET and 100-row page latency.

    .venv/bin/python bench/scim_cycle.py --employees 1000 --clients 8 --duration 20 --big 100000

With --log both (and --big 0) it alternates runs with the provisioning log off and on and prints
both throughputs; the log should cost under 10%:

    .venv/bin/python bench/scim_cycle.py --log both --big 0 --port 8106 \
        --database-url postgres://postgres@127.0.0.1:5432/alexis_provlog

The benchmark empties the employee tables of the database it is given (--database-url, a
database kept for benchmarks), never DATABASE_URL.

Targets on a 2-core machine shared with the load generator: 8 clients >= 250 requests/s for
the whole cycle with no error and no mismatch; at 100,000 employees a filtered GET p50 < 10 ms
and a 100-row page p50 < 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def server_environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "false",
            "DJANGO_CSRF_COOKIE_SECURE": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_CONN_MAX_AGE": "600",
            # Only the benchmark turns the provisioning log off, to measure its overhead.
            "PROVISIONING_LOG_ENABLED": "true" if getattr(args, "log_enabled", True) else "false",
        }
    )
    # The public API's per-token rate: the load generator's one token must not be refused
    # (--api-rate); the throttle still counts every request, as in production.
    if getattr(args, "api_rate", None):
        env["ALEXIS_API_THROTTLE_RATE"] = args.api_rate
    # Production keeps the shared cache (rate-limit counters) in Redis (--redis-url); without
    # it the database cache is used.
    if getattr(args, "redis_url", None):
        env["REDIS_URL"] = args.redis_url
        env["DJANGO_CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}"
    else:
        env.pop("REDIS_URL", None)
    return env


def setup_django(args) -> None:
    os.environ.update(server_environment(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(args, *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=server_environment(args),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def seed(total: int) -> None:
    """Make the database hold exactly `total` live employees with a manager tree."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    with connection.cursor() as cursor:
        # CASCADE: team memberships and provisioning events point at employees.
        cursor.execute(
            "TRUNCATE employees_employeechange, employees_employee RESTART IDENTITY CASCADE"
        )
    if "seed_demo" in get_commands():
        call_command("seed_demo", employees=total, verbosity=0)
    else:
        bulk_seed(total)
    # What autovacuum would do on a live system: statistics and the visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE employees_employee")


def bulk_seed(total: int) -> None:
    """Insert `total` employees in batches and give them a manager tree eight wide."""
    from django.db import connection

    from employees.models import Employee

    batch = 5000
    departments = ["Engineering", "Sales", "Finance", "Support", "Research", "Legal"]
    for start in range(0, total, batch):
        Employee.objects.bulk_create(
            [
                Employee(
                    user_name=f"Seed.User{i:06d}@Contoso.com",
                    given_name=f"Given{i}",
                    family_name=f"Family{i}",
                    display_name=f"Given{i} Family{i}",
                    work_email=f"seed.user{i:06d}@contoso.com",
                    title="Engineer",
                    department=departments[i % len(departments)],
                    external_id=str(uuid.uuid4()),
                )
                for i in range(start, min(total, start + batch))
            ]
        )
    # Everyone but the first reports to an earlier employee: a tree eight wide.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH ranked AS (
                SELECT id, row_number() OVER (ORDER BY id) AS rn FROM employees_employee
            )
            UPDATE employees_employee AS e SET manager_id = m.id
            FROM ranked AS r JOIN ranked AS m ON m.rn = (r.rn - 2) / 8 + 1
            WHERE e.id = r.id AND r.rn > 1
            """
        )


def create_token(*, api: bool = False) -> str:
    """Create a provisioning token for the benchmark through the access-token service.

    With api, the token also reads the public API.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from access_tokens.models import Scope
    from access_tokens.services import access_token_create
    from accounts.roles import OWNER

    owner, _ = get_user_model().objects.get_or_create(username="bench-owner")
    owner.groups.add(Group.objects.get(name=OWNER))
    created = access_token_create(
        name=f"Benchmark {uuid.uuid4().hex[:8]}",
        scopes=[Scope.SCIM, Scope.API_READ] if api else [Scope.SCIM],
        created_by=owner,
        expires_in_days=1,
    )
    return created.plaintext


def sample_ids(count: int) -> list[tuple[str, str]]:
    from employees.models import Employee

    rows = Employee.objects.filter(deleted_at__isnull=True).order_by("?")[:count]
    return [(str(e.public_id), e.user_name) for e in rows]


def _process_cpu(pid: int) -> float:
    """Return the user+system CPU seconds a process has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def cpu_snapshot(server: Server) -> dict[str, float]:
    """CPU seconds used so far by the app workers, their database backends and this client."""
    from django.db import connection

    with connection.cursor() as cursor:
        # A named server's backends only; '' (unnamed) matches every other backend.
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND (%s = '' OR application_name = %s)",
            [server.name, server.name],
        )
        backends = [row[0] for row in cursor.fetchall()]
    workers = _children(server.process.pid) if server.process else []
    times = os.times()
    return {
        "app": sum(_process_cpu(pid) for pid in workers),
        "db": sum(_process_cpu(pid) for pid in backends),
        "client": times.user + times.system,
    }


class Server:
    """gunicorn serving Alexis (or, with application and name, another WSGI app) on a port.

    A named server's database sessions carry its name (PGAPPNAME), so that the CPU its
    backends use can be told from another server's on the same database.
    """

    def __init__(
        self,
        args,
        *,
        application: str = "alexis.wsgi:application",
        port: int | None = None,
        worker_class: str = "gthread",
        name: str = "",
    ) -> None:
        self.args = args
        self.application = application
        self.port = port or args.port
        self.worker_class = worker_class
        self.name = name
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            self.application,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            self.worker_class,
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.args.threads)]
        env = server_environment(self.args)
        if self.name:
            env["PGAPPNAME"] = self.name
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        # A loaded machine can take a while to import Django in every worker.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/scim/v2/ServiceProviderConfig")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Client:
    """One keep-alive connection that times each request by operation."""

    def __init__(self, port: int, token: str, timings, errors) -> None:
        self.port = port
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/scim+json",
            "Host": "127.0.0.1",
        }
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.timings = timings
        self.errors = errors

    def call(self, operation: str, method: str, path: str, body=None, expect=200):
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.errors.append(f"{operation}: {type(exc).__name__}")
            return None
        self.timings[operation].append(time.perf_counter() - started)
        if response.status != expect:
            self.errors.append(f"{operation}: HTTP {response.status} {raw[:200]!r}")
            return None
        return json.loads(raw) if raw else {}


def run_cycle(client: Client, tag: str, managers: list[tuple[str, str]], mismatches) -> None:
    """One Entra-like provisioning cycle for a new user."""
    user_name = f"Bench.{tag}@Contoso.com"
    found = client.call(
        "filter", "GET", "/scim/v2/Users?filter=" + quote(f'userName eq "{user_name.lower()}"')
    )
    if found is None:
        return
    if found["totalResults"] != 0:
        mismatches.append(f"filter found {user_name} before it was created")
    created = client.call(
        "create",
        "POST",
        "/scim/v2/Users",
        {
            "schemas": [CORE, ENT],
            "externalId": tag,
            "userName": user_name,
            "active": True,
            "emails": [{"primary": True, "type": "work", "value": f"{tag}@contoso.com"}],
            "meta": {"resourceType": "User"},
            "name": {"givenName": "Bench", "familyName": tag},
            "roles": [],
        },
        expect=201,
    )
    if created is None:
        return
    user_id = created["id"]
    manager_id, _ = random.choice(managers)
    path = f"/scim/v2/Users/{user_id}"
    ops = [{"op": "Add", "path": f"{ENT}:manager", "value": manager_id}]
    if client.call("manager", "PATCH", path, {"schemas": [PATCH_OP], "Operations": ops}) is None:
        return
    ops = [
        {"op": "Add", "path": "title", "value": "Engineer"},
        {"op": "Add", "path": "displayName", "value": f"Bench {tag}"},
        {"op": "Add", "path": 'phoneNumbers[type eq "work"].value', "value": "+16175551212"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": f"{tag}@example.com"},
        {"op": "Add", "path": f"{ENT}:department", "value": "Research"},
        {"op": "Add", "path": f"{ENT}:costCenter", "value": "CC-42"},
        {"op": "Add", "path": f"{ENT}:employeeNumber", "value": tag},
    ]
    if client.call("update", "PATCH", path, {"schemas": [PATCH_OP], "Operations": ops}) is None:
        return
    ops = [{"op": "Replace", "path": "active", "value": "False"}]
    if client.call("disable", "PATCH", path, {"schemas": [PATCH_OP], "Operations": ops}) is None:
        return
    got = client.call("verify", "GET", path)
    if got is None:
        return
    expected = {
        "userName": user_name,
        "externalId": tag,
        "name": {"givenName": "Bench", "familyName": tag, "formatted": f"Bench {tag}"},
        "displayName": f"Bench {tag}",
        "title": "Engineer",
        "active": False,
        "emails": [{"value": f"{tag}@example.com", "type": "work", "primary": True}],
        "phoneNumbers": [{"value": "+16175551212", "type": "work"}],
    }
    for key, value in expected.items():
        if got.get(key) != value:
            mismatches.append(f"{tag} {key}: {got.get(key)!r} != {value!r}")
    enterprise = got.get(ENT, {})
    for key, value in (
        ("department", "Research"),
        ("costCenter", "CC-42"),
        ("employeeNumber", tag),
    ):
        if enterprise.get(key) != value:
            mismatches.append(f"{tag} {key}: {enterprise.get(key)!r} != {value!r}")
    if enterprise.get("manager", {}).get("value") != manager_id:
        mismatches.append(f"{tag} manager: {enterprise.get('manager')!r} != {manager_id}")


def reference_loop_ms() -> float:
    """Time a fixed pure-Python loop (best of three), to tell how fast the machine is now.

    On a shared virtual machine the same code runs up to half again as slow from one minute
    to the next; runs are comparable only at similar reference times.
    """
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index] * 1000


def report(title: str, timings: dict[str, list[float]], elapsed: float, errors, mismatches):
    total = sum(len(v) for v in timings.values())
    print(f"\n== {title}")
    print(f"requests: {total} in {elapsed:.1f} s = {total / elapsed:.0f} requests/s")
    print(f"{'operation':<10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for operation, values in timings.items():
        if values:
            print(
                f"{operation:<10} {len(values):>6} {percentile(values, 0.5):>8.1f} "
                f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f}"
            )
    print(f"errors: {len(errors)}  mismatches: {len(mismatches)}")
    for line in (errors + mismatches)[:10]:
        print("  ", line)


def cycle_phase(args, token: str, managers, server: Server) -> tuple[float, float]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    mismatches: list[str] = []
    run = uuid.uuid4().hex[:6]
    deadline = time.monotonic() + args.duration
    lock = threading.Lock()

    def worker(number: int) -> None:
        local = defaultdict(list)
        client = Client(args.port, token, local, errors)
        for cycle in range(args.max_cycles):
            if time.monotonic() >= deadline:
                break
            run_cycle(client, f"{run}-{number}-{cycle}", managers, mismatches)
        with lock:
            for key, values in local.items():
                timings[key].extend(values)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    reference_before = reference_loop_ms()
    before = cpu_snapshot(server)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = cpu_snapshot(server)
    ordered = {
        k: timings[k] for k in ("filter", "create", "manager", "update", "disable", "verify")
    }
    log = "on" if args.log_enabled else "off"
    report(
        f"Entra cycle: {args.clients} clients, {args.employees} employees, provisioning log {log}",
        ordered,
        elapsed,
        errors,
        mismatches,
    )
    requests = sum(len(v) for v in timings.values()) or 1
    used = {key: (after[key] - before[key]) * 1000 / requests for key in before}
    total = sum(used.values())
    print(
        "CPU per request: app {app:.1f} ms, database {db:.1f} ms, "
        "load generator {client:.1f} ms".format(**used)
        + f"; {total:.1f} ms in all, so two free cores would serve about "
        f"{2000 / total:.0f} requests/s"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (other processes included)")
    print(
        f"reference loop: {reference_before:.0f} ms before, {reference_loop_ms():.0f} ms after "
        "(lower is a faster machine; compare runs at similar values)"
    )
    return requests / elapsed, used["app"] + used["db"]


def log_overhead(args, token: str, managers) -> None:
    """Alternate runs with the provisioning log off and on; print both throughputs."""
    from django.db import connection

    throughput: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for enabled in (False, True):
            args.log_enabled = enabled
            server = Server(args)
            server.start()
            try:
                rate, cpu_ms = cycle_phase(args, token, managers, server)
                throughput[enabled].append(rate)
                cpu[enabled].append(cpu_ms)
            finally:
                server.stop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM provisioning_provisioningevent")
        events = cursor.fetchone()[0]
    off = sum(throughput[False]) / len(throughput[False])
    on = sum(throughput[True]) / len(throughput[True])
    print("\n== Provisioning log overhead")
    print("log off: " + ", ".join(f"{t:.0f}" for t in throughput[False]) + f" -> {off:.0f} req/s")
    print("log on:  " + ", ".join(f"{t:.0f}" for t in throughput[True]) + f" -> {on:.0f} req/s")
    print(f"with the log: {100 * (on - off) / off:+.1f}% ({events} events in the table)")
    cpu_off = sum(cpu[False]) / len(cpu[False])
    cpu_on = sum(cpu[True]) / len(cpu[True])
    print(
        f"app + database CPU per request: off {cpu_off:.1f} ms, on {cpu_on:.1f} ms "
        f"({100 * (cpu_on - cpu_off) / cpu_off:+.1f}%; steadier than throughput on a busy machine)"
    )
    args.log_enabled = True


def latency_phase(args, token: str, total: int) -> None:
    people = sample_ids(args.samples)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    client = Client(args.port, token, timings, errors)
    for _, user_name in people:
        query = quote(f'userName eq "{user_name.upper()}"')
        got = client.call("filter", "GET", f"/scim/v2/Users?filter={query}")
        if got is not None and got["totalResults"] != 1:
            errors.append(f"filter {user_name}: {got['totalResults']} results")
    for _ in range(args.samples // 2):
        start = random.randint(1, max(1, total - 100))
        got = client.call("page100", "GET", f"/scim/v2/Users?startIndex={start}&count=100")
        if got is not None and len(got["Resources"]) != 100:
            errors.append(f"page at {start}: {len(got['Resources'])} rows")
    elapsed = sum(sum(v) for v in timings.values())
    report(f"Single client at {total} employees", timings, elapsed, errors, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of cycles")
    parser.add_argument("--max-cycles", type=int, default=2000, help="cycles per client")
    parser.add_argument("--big", type=int, default=100_000, help="0 to skip the latency phase")
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument(
        "--log",
        choices=["on", "off", "both"],
        default="on",
        help="provisioning log on, off, or both alternately to measure its overhead",
    )
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs with --log both")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/alexis_scim",
        help="a PostgreSQL database for benchmarks only: its employees are replaced",
    )
    args = parser.parse_args()
    args.log_enabled = args.log != "off"

    manage(args, "migrate", "--noinput")
    manage(args, "createcachetable")
    setup_django(args)
    print(f"seeding {args.employees} employees ...", flush=True)
    seed(args.employees)
    token = create_token()
    managers = sample_ids(200)
    if args.log == "both":
        log_overhead(args, token, managers)
        if not args.big:
            return
    server = Server(args)
    server.start()
    try:
        if args.log != "both":
            cycle_phase(args, token, managers, server)
        if args.big:
            print(f"\nseeding {args.big} employees ...", flush=True)
            seed(args.big)
            latency_phase(args, token, args.big)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
