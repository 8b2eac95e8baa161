"""Fixtures of time off: a vacation type with a policy, and a person with a manager."""

import datetime as dt
from decimal import Decimal

import pytest

from audit.actor import Actor
from audit.models import Channel
from organisation.models import Location
from tests.factories import EmployeeFactory, UserFactory
from tests.webhooks.receiver import start_receiver
from time_off.models import Accrual, LeaveType, Policy, PublicHoliday


@pytest.fixture
def vacation(db):
    return LeaveType.objects.create(name="Vacation", color="#2f6fdd")


@pytest.fixture
def policy(vacation):
    return Policy.objects.create(
        name="Standard vacation",
        leave_type=vacation,
        yearly_allowance=Decimal("25"),
        accrual=Accrual.UP_FRONT,
        carry_over_limit=Decimal("5"),
    )


@pytest.fixture
def stockholm(db):
    location = Location.objects.create(name="Stockholm", country="SE")
    # Thursday 24 Dec 2026: a company day off at this location.
    PublicHoliday.objects.create(
        location=location, date=dt.date(2026, 12, 24), name="Christmas Eve", source="package"
    )
    return location


@pytest.fixture
def manager_user(db):
    user = UserFactory(username="maria.manager@contoso.com", first_name="Maria")
    EmployeeFactory(user=user, user_name=user.username, given_name="Maria", family_name="Manager")
    return user


@pytest.fixture
def worker(db, manager_user, stockholm):
    user = UserFactory(username="will.worker@contoso.com", first_name="Will")
    return EmployeeFactory(
        user=user,
        user_name=user.username,
        given_name="Will",
        family_name="Worker",
        manager=manager_user.employee,
        location_record=stockholm,
        location="Stockholm",
        start_date=dt.date(2020, 1, 1),
    )


@pytest.fixture
def worker_actor(worker):
    return Actor(channel=Channel.WEB, user=worker.user)


@pytest.fixture
def manager_actor(manager_user):
    return Actor(channel=Channel.WEB, user=manager_user)


@pytest.fixture
def receiver(settings):
    """A webhook receiver on this machine (plain HTTP, allowed in tests only)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_ALLOW_HTTP = True
    receiver = start_receiver()
    yield receiver
    receiver.stop()
