"""Time the bearer-token check and the Settings > Access tokens page; print the numbers.

Runs against a throw-away database (SQLite in memory, or bench_<name> on the server
DATABASE_URL points at):

    DJANGO_DEBUG=true .venv/bin/python -m bench.access_tokens [--tokens 500] [--checks 2000]
"""

import argparse
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


def report(label: str, samples: list[float], queries: int | None = None) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    extra = f"  queries {queries}" if queries is not None else ""
    mean, p50 = statistics.mean(samples), statistics.median(samples)
    print(
        f"{label:<44} mean {mean:7.3f} ms  p50 {p50:7.3f}  p99 {p99:7.3f}"
        f"  ({1000 / mean:8.0f}/s){extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    logging.disable(logging.INFO)
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from access_tokens.authentication import check_request
        from access_tokens.crypto import generate_token
        from access_tokens.models import AccessToken, Scope
        from access_tokens.services import access_token_create, access_token_revoke
        from tests.factories import OwnerFactory

        owner = OwnerFactory(username="bench.owner")
        created = [
            access_token_create(name=f"Token {n}", scopes=[Scope.SCIM], created_by=owner)
            for n in range(args.tokens)
        ]
        for item in created[::3]:
            access_token_revoke(token=item.token, revoked_by=owner)
        live = created[1]
        rf = RequestFactory()
        valid = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {live.plaintext}")
        unknown = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {generate_token()}")
        typo = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {live.plaintext[:-1]}0")
        revoked = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {created[0].plaintext}")

        print(f"{connection.vendor}, {args.tokens} tokens ({len(created[::3])} revoked)")
        for label, request in [
            ("check: valid token (stamped this minute)", valid),
            ("check: unknown token", unknown),
            ("check: revoked token", revoked),
            ("check: one-character typo (checksum)", typo),
        ]:
            check_request(request, Scope.SCIM)
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                check_request(request, Scope.SCIM)
            report(
                label,
                timed(lambda r=request: check_request(r, Scope.SCIM), args.checks),
                len(queries),
            )

        def first_use():
            AccessToken.objects.filter(pk=live.token.pk).update(last_used_at=None)
            check_request(valid, Scope.SCIM)

        report("check: first use in a minute (incl. reset)", timed(first_use, 300))

        client = Client()
        client.force_login(owner)
        client.get("/settings/access-tokens/")
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/settings/access-tokens/")
        report(
            f"page: list of {args.tokens} tokens + audit trail",
            timed(lambda: client.get("/settings/access-tokens/"), 20),
            len(queries),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
