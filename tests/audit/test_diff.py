"""The field diff: what a write changes, in the form the history keeps."""

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace

from audit.diff import apply_changes, history_value, initial_values


def test_values_are_kept_json_ready():
    assert history_value(dt.date(2026, 3, 1)) == "2026-03-01"
    assert (
        history_value(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)) == "2026-03-01T09:30:00+00:00"
    )
    assert history_value(Decimal("1.50")) == "1.50"
    key = uuid.uuid4()
    assert history_value(key) == str(key)
    assert history_value(True) is True
    assert history_value(None) is None


def test_apply_changes_sets_and_reports_only_what_differs():
    record = SimpleNamespace(title="Analyst", department="Finance", start_date=None)

    changes = apply_changes(
        record,
        {"title": "Senior Analyst", "department": "Finance", "start_date": dt.date(2026, 1, 5)},
    )

    assert changes == {
        "title": ["Analyst", "Senior Analyst"],
        "start_date": [None, "2026-01-05"],
    }
    assert (record.title, record.start_date) == ("Senior Analyst", dt.date(2026, 1, 5))


def test_an_encoder_gives_a_field_its_own_form_and_leaves_none_alone():
    boss = SimpleNamespace(user_name="boss@contoso.com")
    record = SimpleNamespace(manager=None, custom={"shoe": 9})
    encoders = {"manager": lambda person: person.user_name}

    changes = apply_changes(record, {"manager": boss, "custom": {"shoe": 10}}, encoders=encoders)

    assert changes == {"manager": [None, "boss@contoso.com"], "custom": [{"shoe": 9}, {"shoe": 10}]}
    assert apply_changes(record, {"manager": None}, encoders=encoders) == {
        "manager": ["boss@contoso.com", None]
    }


def test_initial_values_skip_empty_fields():
    record = SimpleNamespace(title="", department="Sales", active=False, end_date=None)

    assert initial_values(record, ["title", "department", "active", "end_date"]) == {
        "department": [None, "Sales"],
        "active": [None, False],
    }
