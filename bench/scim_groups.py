"""Time SCIM Group requests on a large team; print latency and queries per request.

Runs in-process against a throw-away database (SQLite in memory, or bench_<name> on the server
DATABASE_URL points at):

    DJANGO_DEBUG=true .venv/bin/python -m bench.scim_groups [--members 10000] [--batch 100]

Targets on a shared 2-core machine: GET with excludedAttributes=members p50 < 10 ms and the same
number of queries whatever the team's size; a PATCH adding 100 members plus one removing them
p50 < 100 ms together; the whole 10,000-member team as JSON p50 < 500 ms.
"""

import argparse
import json
import logging
import os
import statistics
import time


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float], queries: int) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    mean, p50 = statistics.mean(samples), statistics.median(samples)
    print(f"{label:<52} mean {mean:8.2f} ms  p50 {p50:8.2f}  p95 {p95:8.2f}  queries {queries}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    logging.disable(logging.WARNING)
    # Keep one connection across requests (the test database lives on it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from access_tokens.models import Scope
        from access_tokens.services import access_token_create
        from employees.models import Employee
        from tests.factories import EmployeeFactory, OwnerFactory, TeamFactory

        owner = OwnerFactory(username="bench.owner")
        token = access_token_create(name="Bench", scopes=[Scope.SCIM], created_by=owner)
        people = Employee.objects.bulk_create(
            [
                EmployeeFactory.build(user_name=f"m{n:06d}@contoso.com", manager=None)
                for n in range(args.members + args.batch)
            ],
            batch_size=2000,
        )
        members, extra = people[: args.members], people[args.members :]
        team = TeamFactory(display_name="Everyone", members=members)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
        url = f"/scim/v2/Groups/{team.public_id}"
        add = json.dumps(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {
                        "op": "Add",
                        "path": "members",
                        "value": [{"value": str(e.public_id)} for e in extra],
                    }
                ],
            }
        )
        remove = add.replace('"Add"', '"Remove"')

        def patch(body):
            response = client.patch(url, body, content_type="application/scim+json")
            if response.status_code != 204:
                raise SystemExit(f"PATCH failed: {response.status_code} {response.content!r}")

        def measure(label, function, repeat):
            function()
            with CaptureQueriesContext(connection) as queries:
                function()
            count = len(queries)  # read now: later requests clear the connection's log
            report(label, timed(function, repeat), count)

        print(f"{connection.vendor}, a team of {args.members} members")
        measure(
            "GET /Groups/{id}?excludedAttributes=members",
            lambda: client.get(f"{url}?excludedAttributes=members"),
            args.repeat,
        )
        measure(
            "GET /Groups?filter=displayName eq (members excluded)",
            lambda: client.get(
                '/scim/v2/Groups?excludedAttributes=members&filter=displayName eq "everyone"'
            ),
            args.repeat,
        )
        measure(f"GET /Groups/{{id}} ({args.members} members)", lambda: client.get(url), 5)

        def add_then_remove():
            patch(add)
            patch(remove)

        measure(
            f"PATCH add {args.batch} + PATCH remove {args.batch} (2 requests)",
            add_then_remove,
            args.repeat,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
