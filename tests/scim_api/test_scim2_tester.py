"""The public scim2-tester suite, run in-process against the Alexis WSGI application.

Every check must pass. The allowances below are the tester's strictness, not deviations: it
expects a server to store a read-only sub-attribute exactly as sent, although RFC 7643 §7
lets the server compute it and RFC 7644 §3.5.2 says a value sent for a read-only attribute is
ignored. Alexis publishes these as readOnly in /Schemas and computes them:
- `name.formatted` is derived from the given and family names;
- `manager.displayName` is the manager's own name;
- a Group member's `display` is the employee's own name.
For each, the test checks that the value returned differs from the one sent only in those
sub-attributes. One check is skipped by the tester itself: POST /.search across resource
types (the root search), which Alexis answers 501 as ServiceProviderConfig allows.
Phone numbers are generated with a country code, spelled "+1 617 555 0123" as a tenant may
hold them (scim2-tester would otherwise send ten random digits, which need a default region),
so the check also proves that SCIM answers a number as it was sent.
The tester has no generator for dateTime attributes (it would send a random UUID as
startDate); they get a date at midnight UTC, as Entra sends employeeHireDate, so the check
proves that the Alexis extension's dates round-trip.
"""

import datetime as dt
import random

import pytest
import scim2_tester.filling as filling
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from tests.scim_api.conftest import ENT

pytestmark = pytest.mark.django_db

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}


def _e164_phone_numbers_and_dates(monkeypatch):
    original = filling.get_random_example_value

    def example_value(path):
        binding = path.resolve()
        model = getattr(binding, "target_model", None)
        if getattr(binding, "target_type", None) is dt.datetime:
            # An end date after any start date (the end cannot come first).
            first = dt.date(2031 if "end" in binding.target_field_name else 2027, 1, 4)
            day = first + dt.timedelta(days=random.randint(0, 900))
            return dt.datetime.combine(day, dt.time(0), dt.UTC)
        if (
            model is not None
            and model.__name__ == "PhoneNumbers"
            and binding.target_field_name == "value"
        ):
            return "+1 617 555 " + "".join(str(random.randint(0, 9)) for _ in range(4))
        return original(path)

    monkeypatch.setattr(filling, "get_random_example_value", example_value)


def _without_derived(value):
    """Drop the sub-attributes Alexis derives or does not store, to compare the rest."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, list):
        return [_without_derived(item) for item in value]
    if not isinstance(value, dict):
        return value
    dropped = {"formatted", "displayName", "display", "$ref"}
    return {
        key: _without_derived(item)
        for key, item in value.items()
        if key not in dropped and key != "schemas"
    }


def _is_documented_difference(result) -> bool:
    data = result.data if isinstance(result.data, dict) else {}
    reason = result.reason or ""
    if "expected" in data and "modify_actual" in data:
        urn = data.get("urn", "")
        if urn in ("name", ENT, f"{ENT}:manager"):
            return _without_derived(data["expected"]) == _without_derived(data["modify_actual"])
    if data.get("urn") == "members" and "expected" in data and "actual" in data:
        # Group PATCH answers 204, so the checker compares with a GET after it.
        return _without_derived(data["expected"]) == _without_derived(data["actual"])
    return result.status == Status.SKIPPED and "searching several resource types" in reason


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across in-process requests (as Client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_scim2_tester_passes_every_check_on_the_attributes_alexis_keeps(
    scim_token, settings, monkeypatch, keep_test_connection
):
    settings.ALLOWED_HOSTS = ["localhost"]
    random.seed(7)
    _e164_phone_numbers_and_dates(monkeypatch)
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {scim_token.plaintext}"},
    )

    results = check_server(client)

    failures = [
        f"{r.status.name} {r.title}: {r.reason}"
        for r in results
        if r.status not in PASSING and not _is_documented_difference(r)
    ]
    assert failures == []
    passed = [r for r in results if r.status in PASSING]
    assert len(passed) >= 75
    titles = {r.title for r in passed}
    group_titles = {r.title for r in passed if r.resource_type == "Group"}
    for essential in (
        "object_creation",
        "object_query",
        "object_query_without_id",
        "object_replacement",
        "object_deletion",
        "check_add_attribute",
        "check_replace_attribute",
        "check_remove_attribute",
        "query_all_schemas",
        "query_all_resource_types",
    ):
        assert essential in titles
    for essential in (
        "object_creation",
        "object_query",
        "object_query_without_id",
        "object_replacement",
        "object_deletion",
        "check_add_attribute",
        "check_replace_attribute",
        "check_remove_attribute",
    ):
        assert essential in group_titles, essential
