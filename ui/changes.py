"""Human labels and values for recorded changes ({"field": [old, new]}), for people to read.

Labels come from the models' verbose names (one definition), so "work_phone" reads "Work
phone"; values read as people write them: Yes/No, a choice's label, 2 Dec 2026, and a
membership change as "2: alice@contoso.com, bob@contoso.com".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils.text import capfirst

from ui import formats

EMPTY = "(empty)"
# Recorded keys that are not model fields.
EXTRA_LABELS = {
    "members_added": "Members added",
    "members_removed": "Members removed",
    "members": "Members",
    "active": "Status",
}
# Yes/no fields whose values have words of their own.
BOOLEAN_WORDS = {"active": ("Active", "Inactive")}
_MODELS = ("employees.Employee", "teams.Team")


def _field(name: str) -> Any:
    for label in _MODELS:
        try:
            return apps.get_model(label)._meta.get_field(name)
        except LookupError:
            continue
    return None


def field_label(name: str) -> str:
    """Return the label people see for a recorded field name."""
    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    field = _field(name)
    if field is not None and hasattr(field, "verbose_name"):
        return capfirst(str(field.verbose_name))
    return capfirst(name.replace("_", " "))


def _date(text: str) -> str:
    try:
        if "T" in text:
            return formats.datetime(dt.datetime.fromisoformat(text))
        return formats.date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def field_value(name: str, value: Any) -> str:
    """Return a recorded value as a person reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        yes, no = BOOLEAN_WORDS.get(name, ("Yes", "No"))
        return yes if value else no
    if isinstance(value, dict):
        count = value.get("count")
        names = value.get("user_names") or value.get("names") or []
        listed = ", ".join(str(n) for n in names)
        if count is not None and len(names) < count:
            listed += ", …" if listed else ""
        if count is None:
            return listed or EMPTY
        return f"{count}: {listed}" if listed else str(count)
    if isinstance(value, list):
        return ", ".join(field_value(name, item) for item in value) or EMPTY
    field = _field(name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and name.endswith(("_date", "_at")):
        return _date(value)
    return str(value)


def change_rows(changes: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """Return (label, old, new) rows in label order; a value alone counts as the new one."""
    rows = []
    for name, values in (changes or {}).items():
        old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
        rows.append((field_label(name), field_value(name, old), field_value(name, new)))
    return sorted(rows)
