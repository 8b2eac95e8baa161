"""The change history as people read it: field labels, not names; values as the app shows
them ("Active: No → Yes", dates as "2 Dec 2026", choices by their label), never Python reprs.
Used by the web app's history table and the Django admin alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from audit.models import ChangeRecord
from ui import formats

EMPTY = "(empty)"


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(
    model: type[models.Model], name: str, labels: Mapping[str, str] | None = None
) -> str:
    """Return the label people see for a history key: the field's verbose name, capitalised."""
    if labels and name in labels:
        return labels[name]
    field = _field(model, name)
    if field is not None:
        return capfirst(str(field.verbose_name))
    return capfirst(name.replace("_", " "))


def _date(value: Any, kind: type) -> Any:
    if not isinstance(value, str):
        return value
    if kind is dt.datetime:
        parsed = parse_datetime(value)
        if parsed is not None and timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return parsed or value
    return parse_date(value) or value


def display_value(model: type[models.Model], name: str, value: Any) -> str | None:
    """Return a stored history value as text for people; None when it is empty."""
    if value is None or value == "":
        return None
    field = _field(model, name)
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        value = _date(value, dt.datetime)
    elif isinstance(field, models.DateField):
        value = _date(value, dt.date)
    if isinstance(value, dt.datetime):
        return formats.datetime(value)
    if isinstance(value, dt.date):
        return formats.date(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _row(model: type[models.Model], name: str, value: Any, labels: Mapping[str, str] | None):
    label = field_label(model, name, labels)
    if isinstance(value, dict):
        # A change to many related records at once (team members): a count and some names.
        names = [str(item) for item in value.get("user_names", [])]
        count = value.get("count", len(names))
        return {
            "label": label,
            "members": True,
            "count": count,
            "names": names,
            "more": count > len(names),
        }
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = value
    else:
        old, new = None, value
    return {
        "label": label,
        "old": display_value(model, name, old),
        "new": display_value(model, name, new),
    }


def change_fields(
    record: ChangeRecord, *, labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Return one entry's changes as rows {label, old, new} (or a member count), by label."""
    model = type(record)._meta.get_field(record.subject_field).related_model
    rows = [_row(model, name, value, labels) for name, value in record.changes.items()]
    return sorted(rows, key=lambda row: row["label"])


def history_rows(
    records: Iterable[ChangeRecord], *, labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Return entries as the change-history table shows them: {change, fields}."""
    return [
        {"change": record, "fields": change_fields(record, labels=labels)} for record in records
    ]


def change_summary(record: ChangeRecord, *, labels: Mapping[str, str] | None = None) -> str:
    """Return one entry's changes on one line, e.g. "Active: No → Yes; Title: (empty) → CTO"."""
    parts = []
    for row in change_fields(record, labels=labels):
        if row.get("members"):
            names = ", ".join(row["names"][:5])
            more = ", …" if row["count"] > min(5, len(row["names"])) and names else ""
            parts.append(f"{row['label']}: {row['count']}" + (f" ({names}{more})" if names else ""))
        else:
            parts.append(f"{row['label']}: {row['old'] or EMPTY} → {row['new'] or EMPTY}")
    return "; ".join(parts)


def actor_label(record: ChangeRecord) -> str:
    """Return who made a change: the person, the access token by name, or the channel."""
    if record.actor_user_id is not None:
        user = record.actor_user
        return user.get_full_name() or user.get_username()
    if record.actor_token_id is not None:
        return f"token «{record.actor_token.name}»"
    return record.get_channel_display()
