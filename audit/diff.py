"""The field diff: what a write changes, in the JSON form the change history keeps.

Generic over fields: a model's own fields, related records and (later) custom fields all go
through `history_value`, with an encoder per field where a value needs a particular form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

Encoders = Mapping[str, Callable[[Any], Any]]


def history_value(value: Any) -> Any:
    """Return a value as the history stores it: JSON-ready, dates as ISO 8601."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _encode(field: str, value: Any, encoders: Encoders | None) -> Any:
    if value is not None and encoders and field in encoders:
        return encoders[field](value)
    return history_value(value)


def apply_changes(
    instance: Any, data: Mapping[str, Any], *, encoders: Encoders | None = None
) -> dict[str, list[Any]]:
    """Set each value of `data` on `instance`; return those that differ as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for field, value in data.items():
        old = getattr(instance, field)
        if old != value:
            changes[field] = [_encode(field, old, encoders), _encode(field, value, encoders)]
            setattr(instance, field, value)
    return changes


def initial_values(
    instance: Any, fields: Iterable[str], *, encoders: Encoders | None = None
) -> dict[str, list[Any]]:
    """Return a new record's non-empty fields as {field: [None, value]}."""
    changes: dict[str, list[Any]] = {}
    for field in fields:
        value = getattr(instance, field)
        if value not in (None, ""):
            changes[field] = [None, _encode(field, value, encoders)]
    return changes
