"""Two requests sent at the same moment cannot together overdraw a balance (PostgreSQL)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.roles import HR_ADMIN, OWNER
from audit.actor import Actor
from audit.models import Channel
from tests.factories import EmployeeFactory
from time_off.models import Balance, LeaveType, LedgerEntry, Policy, Status, TimeOffRequest
from time_off.services import balance_adjust, request_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time; row locks are PostgreSQL's.",
    ),
]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    for name in (OWNER, HR_ADMIN):
        Group.objects.get_or_create(name=name)


def test_two_simultaneous_requests_cannot_overdraw(transactional_db):
    leave_type = LeaveType.objects.create(name="Vacation")
    Policy.objects.create(name="Vacation", leave_type=leave_type, yearly_allowance=Decimal("0"))
    person = EmployeeFactory()
    balance = Balance.objects.create(employee=person, leave_type=leave_type)
    balance_adjust(
        balance=balance, amount="3", reason="Opening balance", actor=Actor(channel=Channel.SYSTEM)
    )
    # Two different weeks, 3 working days each (Mon-Wed): either fits, not both.
    weeks = [dt.date(2027, 3, 1), dt.date(2027, 3, 8)]
    barrier = threading.Barrier(len(weeks))
    outcomes: list[str] = []

    def send(start):
        try:
            barrier.wait()
            request_create(
                employee=person,
                leave_type=leave_type,
                start_date=start,
                end_date=start + dt.timedelta(days=2),
                actor=Actor(channel=Channel.API),
            )
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(start,)) for start in weeks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["This costs 3 days but your balance allows 0 days.", "created"]
    balance.refresh_from_db()
    assert balance.amount == Decimal("0")
    assert balance.amount == sum(
        LedgerEntry.objects.filter(balance=balance).values_list("amount", flat=True)
    )
    assert TimeOffRequest.objects.filter(status=Status.PENDING).count() == 1
