import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from access_tokens.throttle import token_failures
from provisioning.models import Operation, ProvisioningEvent
from provisioning.selectors import failed_authentication_bursts, summary

pytestmark = pytest.mark.django_db


def _event(days_ago: float = 0, **fields) -> ProvisioningEvent:
    defaults = {
        "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
        "method": "GET",
        "path": "/scim/v2/Users",
        "operation": Operation.QUERIED,
        "status": 200,
    }
    return ProvisioningEvent.objects.create(**{**defaults, **fields})


def test_prune_removes_only_events_older_than_the_retention(settings):
    settings.PROVISIONING_LOG_RETENTION_DAYS = 90
    old = [_event(days_ago=91) for _ in range(7)]
    kept = [_event(days_ago=89), _event(days_ago=0)]
    out = StringIO()
    call_command("prune_provisioning_log", "--batch-size", "3", stdout=out)
    assert "Deleted 7 provisioning events." in out.getvalue()
    remaining = set(ProvisioningEvent.objects.values_list("id", flat=True))
    assert remaining == {e.id for e in kept}
    assert not remaining & {e.id for e in old}


def test_summary_counts_match_the_events():
    _event(operation=Operation.CREATED, status=201)
    _event(operation=Operation.CREATED, status=201, days_ago=3)
    _event(operation=Operation.UPDATED, status=200)
    _event(operation=Operation.DEACTIVATED, status=200)
    _event(operation=Operation.DELETED, status=204, days_ago=2)
    _event(operation=Operation.REFUSED, status=400, detail="userName is required.")
    _event(operation=Operation.REFUSED, status=400, detail="userName is required.")
    _event(operation=Operation.REFUSED, status=409, detail="userName is taken.", days_ago=5)
    _event(days_ago=8)
    day, week = summary(hours=24), summary(hours=24 * 7)
    assert (day.requests, day.created, day.updated, day.deactivated, day.deleted, day.failed) == (
        5,
        1,
        1,
        1,
        0,
        2,
    )
    assert day.top_errors == [("userName is required.", 2)]
    assert (week.requests, week.created, week.deleted, week.failed) == (8, 2, 1, 3)
    assert week.top_errors == [("userName is required.", 2), ("userName is taken.", 1)]


def test_failed_authentication_bursts_group_by_ip():
    for _ in range(6):
        _event(status=401, operation=Operation.REFUSED, client_ip="203.0.113.9")
    _event(status=401, operation=Operation.REFUSED, client_ip="198.51.100.1")
    bursts = failed_authentication_bursts(minimum=5)
    assert [(b["client_ip"], b["failures"]) for b in bursts] == [("203.0.113.9", 6)]


def test_repeated_failures_from_one_ip_are_throttled(settings):
    settings.ACCESS_TOKEN_FAILURE_LIMIT = 3
    for _ in range(2):
        token_failures.record_failure("203.0.113.9")
    assert token_failures.retry_after("203.0.113.9") is None
    token_failures.record_failure("203.0.113.9")
    wait = token_failures.retry_after("203.0.113.9")
    assert wait is not None and 1 <= wait <= settings.ACCESS_TOKEN_FAILURE_WINDOW
    assert token_failures.retry_after("198.51.100.1") is None
