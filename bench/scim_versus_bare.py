"""Alexis's SCIM endpoint and public API side by side with a bare Django view, in one run.

Both apps run under gunicorn at the same time with the same settings (3 sync workers by
default) on the same PostgreSQL database: Alexis (alexis.wsgi) and the bare comparison app
(bench/bare: per request a token lookup, a user lookup, and for a write the update, one
history row and one log row, in one transaction). The phases alternate between the two,
in short slices within each phase (--slice seconds, in the order bare, Alexis, Alexis, bare,
bare, ...), so that both see the same machine even while its speed drifts:

- Entra cycle: C clients replay bench/scim_cycle.py's cycle (filter by userName, create, set
  the manager, update seven attributes, disable, GET to verify) for --duration seconds;
- read probe: C clients send filtered GETs of existing users and 100-row pages;
- API list and retrieve (--api): C clients read 50-row pages and single employees.

For each phase it prints requests/s and CPU per request (application workers + their
database backends) for both, and Alexis's ratio to bare (throughput: Alexis/bare, higher
is better; CPU: bare/Alexis, the same sense). A shared machine's speed varies from minute to
minute: only ratios measured in one run mean anything. Errors (any unexpected status, a
429 included), lost users (created but not in the database) and mismatches (an attribute not
as sent) must all be 0: otherwise the run ends with FAILED and exit status 1.

The API token's rate limit is raised for the run (--api-rate, through ALEXIS_API_THROTTLE_RATE)
so that the throttle counts every request but refuses none; with --redis-url both servers
keep the shared cache in Redis, as production does (otherwise in the database).

    .venv/bin/python -m bench.scim_versus_bare --users 2000 --rounds 3 \\
        --database-url postgres://postgres@127.0.0.1:5432/alexis_bench

The benchmark replaces the employees of the database it is given (--database-url, a database
kept for benchmarks), never DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import quote

from bench.scim_cycle import (
    Client,
    Server,
    bulk_seed,
    cpu_snapshot,
    create_token,
    manage,
    reference_loop_ms,
    run_cycle,
    sample_ids,
    setup_django,
)

APPS = ("bare", "alexis")


def seed(total: int) -> None:
    """Make the database hold exactly `total` employees with a manager tree, then ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE employees_employeechange, employees_employee, "
            "provisioning_provisioningevent RESTART IDENTITY CASCADE"
        )
    bulk_seed(total)
    # Autovacuum is off on this machine: give the planner what it would have gathered.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE employees_employee")


class Phase:
    """Requests, errors and mismatches of one app in one phase."""

    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.mismatches: list[str] = []
        self.created: list[str] = []
        self.lost = 0
        self.elapsed = 0.0
        self.cpu_seconds = 0.0
        self.db_seconds = 0.0

    def add(self, other: Phase) -> None:
        """Count another slice of the same app in this phase."""
        for key, values in other.timings.items():
            self.timings[key].extend(values)
        self.errors += other.errors
        self.mismatches += other.mismatches
        self.created += other.created
        self.lost += other.lost
        self.elapsed += other.elapsed
        self.cpu_seconds += other.cpu_seconds
        self.db_seconds += other.db_seconds

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.timings.values())

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / max(1, self.requests)

    @property
    def db_ms(self) -> float:
        return self.db_seconds * 1000 / max(1, self.requests)


def run_clients(args, server: Server, work, seconds: float) -> Phase:
    """Run `work(client, number, cycle, phase)` on C clients for `seconds`."""
    phase = Phase()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(number: int) -> None:
        local: dict[str, list[float]] = defaultdict(list)
        client = Client(server.port, args.token, local, phase.errors)
        cycle = 0
        while time.monotonic() < deadline:
            work(client, number, cycle, phase)
            cycle += 1
        client.conn.close()
        with lock:
            for key, values in local.items():
                phase.timings[key].extend(values)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    before = cpu_snapshot(server)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.elapsed = time.perf_counter() - started
    after = cpu_snapshot(server)
    phase.db_seconds = after["db"] - before["db"]
    phase.cpu_seconds = (after["app"] - before["app"]) + phase.db_seconds
    return phase


def entra_cycle(args, server: Server, seconds: float) -> Phase:
    run = uuid.uuid4().hex[:6]

    def work(client, number, cycle, phase):
        tag = f"{server.name}{run}-{number}-{cycle}"
        before = len(client.timings["create"])
        run_cycle(client, tag, args.managers, phase.mismatches)
        if len(client.timings["create"]) > before:
            phase.created.append(f"Bench.{tag}@Contoso.com")

    phase = run_clients(args, server, work, seconds)
    phase.lost = lost_users(phase.created)
    return phase


def lost_users(user_names: list[str]) -> int:
    """Count users answered 201 that are not in the database."""
    from employees.models import Employee

    found = 0
    for start in range(0, len(user_names), 1000):
        found += Employee.objects.filter(user_name__in=user_names[start : start + 1000]).count()
    return len(user_names) - found


def read_probe(args, server: Server, seconds: float) -> Phase:
    total = args.users

    def work(client, number, cycle, phase):
        if cycle % 4 == 3:
            start = random.randint(1, max(1, total - 100))
            got = client.call("page100", "GET", f"/scim/v2/Users?startIndex={start}&count=100")
            if got is not None and len(got["Resources"]) != 100:
                phase.errors.append(f"page at {start}: {len(got['Resources'])} rows")
            return
        _, user_name = random.choice(args.people)
        query = quote(f'userName eq "{user_name.upper()}"')
        got = client.call("filter", "GET", f"/scim/v2/Users?filter={query}")
        if got is not None and got["totalResults"] != 1:
            phase.mismatches.append(f"filter {user_name}: {got['totalResults']} results")

    return run_clients(args, server, work, seconds)


def api_reads(kind: str):
    def probe(args, server: Server, seconds: float) -> Phase:
        def work(client, number, cycle, phase):
            if kind == "list":
                offset = random.randint(0, max(0, args.users - 50))
                got = client.call("list", "GET", f"/api/v1/employees/?offset={offset}&limit=50")
                if got is not None and len(got["results"]) != 50:
                    phase.errors.append(f"list at {offset}: {len(got['results'])} rows")
                return
            public_id, user_name = random.choice(args.people)
            got = client.call("retrieve", "GET", f"/api/v1/employees/{public_id}/")
            if got is not None and got["user_name"] != user_name:
                phase.mismatches.append(f"retrieve {public_id}: {got['user_name']}")

        return run_clients(args, server, work, seconds)

    return probe


def slice_order(slices: int) -> list[str]:
    """Bare, Alexis, Alexis, bare, bare, Alexis, ...: each app `slices` times.

    Pairs in alternating order cancel a steady drift of the machine's speed between them.
    """
    order: list[str] = []
    for pair in range(slices):
        order += APPS if pair % 2 == 0 else tuple(reversed(APPS))
    return order


def compare(args, servers: dict[str, Server], name: str, measure, round_number: int) -> dict:
    slices = max(1, round(args.duration / args.slice))
    results = {app: Phase() for app in APPS}
    for app in slice_order(slices):
        results[app].add(measure(args, servers[app], args.duration / slices))
    bare, alexis = results["bare"], results["alexis"]
    print(
        f"\n{name} (round {round_number}, {args.duration:.0f} s each in {slices} alternating "
        "slices)"
    )
    print(
        f"{'':8} {'req/s':>7} {'CPU ms/req':>11} {'of it db':>9} {'errors':>7} {'lost':>5} "
        f"{'mismatched':>11}"
    )
    for app in APPS:
        r = results[app]
        print(
            f"{app:8} {r.rate:>7.0f} {r.cpu_ms:>11.2f} {r.db_ms:>9.2f} {len(r.errors):>7} "
            f"{r.lost:>5} {len(r.mismatches):>11}"
        )
        for line in (r.errors + r.mismatches)[:5]:
            print("   ", line)
    throughput = alexis.rate / bare.rate if bare.rate else 0.0
    cpu = bare.cpu_ms / alexis.cpu_ms if alexis.cpu_ms else 0.0
    print(f"Alexis / bare: throughput {throughput:.2f}x, CPU per request {cpu:.2f}x")
    failures = sum(len(r.errors) + r.lost + len(r.mismatches) for r in results.values())
    return {"throughput": throughput, "cpu": cpu, "alexis_cpu": alexis.cpu_ms, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=2000, help="employees seeded")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase and app")
    parser.add_argument(
        "--slice", type=float, default=3.0, help="seconds per slice (the apps take turns)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="with --worker-class gthread")
    parser.add_argument("--port", type=int, default=8120, help="Alexis; bare uses the next one")
    parser.add_argument("--api", action="store_true", help="also compare the public API reads")
    parser.add_argument("--no-scim", action="store_true", help="skip the SCIM phases")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/alexis_bench",
        help="a PostgreSQL database for benchmarks only: its employees are replaced",
    )
    parser.add_argument(
        "--api-rate",
        default="100000/second",
        help="the API token's rate limit on both servers, high enough never to refuse",
    )
    parser.add_argument(
        "--redis-url",
        default=None,
        help="keep the shared cache in this Redis database (as production does); "
        "default: the database cache",
    )
    args = parser.parse_args()
    args.log_enabled = True

    manage(args, "migrate", "--noinput")
    manage(args, "createcachetable")
    setup_django(args)
    print(f"seeding {args.users} employees ...", flush=True)
    seed(args.users)
    args.token = create_token(api=args.api)
    args.managers = sample_ids(200)
    args.people = sample_ids(500)
    servers = {
        "alexis": Server(args, port=args.port, worker_class=args.worker_class, name="alexis"),
        "bare": Server(
            args,
            application="bench.bare.wsgi:application",
            port=args.port + 1,
            worker_class=args.worker_class,
            name="bare",
        ),
    }
    phases = []
    if not args.no_scim:
        phases += [("Entra cycle", entra_cycle), ("Read probe", read_probe)]
    if args.api:
        phases += [("API list", api_reads("list")), ("API retrieve", api_reads("retrieve"))]
    ratios: dict[str, list[dict]] = defaultdict(list)
    print(
        f"{args.users} users, {args.clients} clients, gunicorn {args.workers} "
        f"{args.worker_class} workers each, {args.duration:.0f} s per phase and app in "
        f"{args.slice:.0f} s slices; "
        f"reference loop {reference_loop_ms():.0f} ms"
    )
    cache = f"Redis ({args.redis_url})" if args.redis_url else "the database cache"
    print(
        f"provisioning log on; shared cache (API rate-limit counters): {cache}; "
        f"API rate limit {args.api_rate} per token"
    )
    try:
        for server in servers.values():
            server.start()
        for round_number in range(1, args.rounds + 1):
            for name, measure in phases:
                ratios[name].append(compare(args, servers, name, measure, round_number))
    finally:
        for server in servers.values():
            server.stop()
    print(f"\n== Alexis / bare at {args.users} users (throughput, CPU per request)")
    for name, found in ratios.items():
        listed = ", ".join(f"{r['throughput']:.2f}x/{r['cpu']:.2f}x" for r in found)
        cpu = ", ".join(f"{r['alexis_cpu']:.1f}" for r in found)
        print(f"{name:<13} {listed}   (Alexis CPU ms per request: {cpu})")
    print(f"load average now: {os.getloadavg()[0]:.1f}")
    failures = sum(r["failures"] for found in ratios.values() for r in found)
    if failures:
        print(f"FAILED: {failures} errors, lost users or mismatches (see the phases above)")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
