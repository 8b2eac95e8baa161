"""Two first sign-ins of one employee at the same moment create one account."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from sso import services
from sso.saml import SamlIdentity
from tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The SQLite test database is in memory with a shared cache, whose table locks fail at
    # once instead of waiting; row locking is what is tested, on PostgreSQL.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]


def test_simultaneous_first_sign_ins_share_one_account(monkeypatch):
    employee = EmployeeFactory(user_name="alice@contoso.com")
    barrier = threading.Barrier(2)
    matched = threading.Barrier(2)
    results, errors = [], []

    def match_then_wait(**kwargs):
        # Both sign-ins have found the employee without an account before either links one.
        found = services.employee_for_sign_in.__wrapped__(**kwargs)
        matched.wait(timeout=10)
        return found

    match_then_wait.__wrapped__ = services.employee_for_sign_in
    monkeypatch.setattr(services, "employee_for_sign_in", match_then_wait)

    def sign_in(assertion_id):
        try:
            barrier.wait(timeout=10)
            identity = SamlIdentity(
                name_id="alice@contoso.com",
                email="",
                assertion_id=assertion_id,
                expires_at=timezone.now() + dt.timedelta(minutes=5),
            )
            results.append(services.sso_sign_in(identity=identity).pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in, args=(f"_a{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    employee.refresh_from_db()
    assert results == [employee.user_id, employee.user_id]
    assert get_user_model().objects.filter(username__iexact="alice@contoso.com").count() == 1
