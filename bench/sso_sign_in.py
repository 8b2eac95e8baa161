"""Time single sign-on through the assertion consumer service (signature check to session).

Usage: DJANGO_DEBUG=true .venv/bin/python bench/sso_sign_in.py [--employees 10000] [--sign-ins 200]

Runs in-process against a throw-away test database (DATABASE_URL decides the engine) and
prints the latency of whole IdP-initiated sign-ins: POST /sso/acs/ with a signed response,
validated, matched to an employee, user linked on first sign-in, session created.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--sign-ins", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.employees, args.sign_ins)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(employee_count: int, sign_in_count: int) -> None:
    from django.contrib.auth import get_user_model

    from employees.models import Employee
    from sso.services import sso_configuration_update
    from tests.sso.idp import TestIdentityProvider

    idp = TestIdentityProvider()
    owner = get_user_model().objects.create_user("bench.owner")
    sso_configuration_update(
        enabled=True,
        require_sso=False,
        idp_entity_id=idp.entity_id,
        idp_login_url="https://login.microsoftonline.com/bench/saml2",
        idp_certificate=idp.certificate_pem,
        updated_by=owner,
    )
    Employee.objects.bulk_create(
        Employee(
            user_name=f"person{i}@contoso.com",
            work_email=f"person{i}@contoso.com",
            given_name="Person",
            family_name=str(i),
        )
        for i in range(employee_count)
    )
    step = max(1, employee_count // sign_in_count)
    responses = [
        idp.response(
            name_id=f"PERSON{(i * step) % employee_count}@contoso.com",
            acs_url="http://testserver/sso/acs/",
            audience="http://testserver/sso/metadata/",
        )
        for i in range(sign_in_count)
    ]

    def measure(label: str, batch: list[str]) -> None:
        timings = []
        for saml_response in batch:
            client = Client()
            started = time.perf_counter()
            response = client.post("/sso/acs/", {"SAMLResponse": saml_response})
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"sign-in failed with {response.status_code}")
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{label:<28} n={len(timings):<5} median={statistics.median(timings):6.1f} ms "
            f"p95={p95:6.1f} ms  ({1000 / statistics.mean(timings):5.1f} sign-ins/s, one core)"
        )

    print(f"database={connection.vendor} employees={employee_count}")
    measure("first sign-in (links user)", responses)
    # Same people again with fresh assertions: the linked user is reused.
    again = [
        idp.response(
            name_id=f"person{(i * step) % employee_count}@contoso.com",
            acs_url="http://testserver/sso/acs/",
            audience="http://testserver/sso/metadata/",
        )
        for i in range(sign_in_count)
    ]
    measure("repeat sign-in", again)


if __name__ == "__main__":
    main()
