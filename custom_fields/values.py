"""Parse, store and show custom field values; one place per type for every channel.

Stored values are JSON: text and choices as strings, numbers as JSON numbers, dates as
"YYYY-MM-DD" strings (they sort and compare as dates), yes/no as true/false. An empty value
is not stored: the key is left out.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from custom_fields.models import CustomField, FieldType
from ui import formats

MAX_TEXT_LENGTH = 500
# Beyond 15 significant digits a JSON number is not kept exactly by every database.
MAX_NUMBER = Decimal("1e15")
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}
# The JSON object on the employee that holds the values.
STORAGE = "custom_fields"


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse(field: CustomField, value: Any) -> Any:
    """Return the stored form of `value` for this field, or None for empty.

    Accepts Python values (forms, the API) and their text forms (the command, SCIM, CSV).
    Raises ValidationError with a message people can act on.
    """
    if is_empty(value):
        return None
    return _PARSERS[field.field_type](field, value)


def _text(field: CustomField, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError("Enter text.", code="invalid")
    if "\x00" in value:
        raise ValidationError("Text cannot contain NUL characters.", code="invalid")
    value = value.strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationError(
            f"Enter at most {MAX_TEXT_LENGTH} characters (it has {len(value)}).", code="max_length"
        )
    return value


def _number(field: CustomField, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValidationError("Enter a number.", code="invalid")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError("Enter a number.", code="invalid") from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ValidationError("Enter a number below one quadrillion.", code="invalid")
    if number == number.to_integral_value():
        return int(number)
    result = float(number)
    if not math.isfinite(result):
        raise ValidationError("Enter a number.", code="invalid")
    return result


def _date(field: CustomField, value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # A SCIM dateTime ("2024-05-01T00:00:00Z") carries the date first; keep that date.
        text = value.strip()[:10]
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ValidationError("Enter a date as YYYY-MM-DD.", code="invalid")


def _boolean(field: CustomField, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValidationError("Enter yes or no (true or false).", code="invalid")


def _choice(field: CustomField, value: Any) -> str:
    if isinstance(value, str):
        wanted = value.strip().lower()
        for choice in field.choices:
            if choice.lower() == wanted:
                return choice
    offered = ", ".join(field.choices)
    raise ValidationError(f"Choose one of: {offered}.", code="invalid_choice")


_PARSERS = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.BOOLEAN: _boolean,
    FieldType.CHOICE: _choice,
}


def to_python(field: CustomField, stored: Any) -> Any:
    """Return the stored value as a Python value for forms (dates as dt.date)."""
    if stored is None:
        return None
    if field.field_type == FieldType.DATE:
        try:
            return dt.date.fromisoformat(stored)
        except (TypeError, ValueError):
            return None
    return stored


def display(field: CustomField, stored: Any) -> str:
    """Return the value as people read it ("" when empty): Yes/No, 1 May 2024, 12.5."""
    if stored is None:
        return ""
    if field.field_type == FieldType.BOOLEAN:
        return "Yes" if stored else "No"
    if field.field_type == FieldType.DATE:
        day = to_python(field, stored)
        return formats.date(day) if day else str(stored)
    return str(stored)


def export(field: CustomField, stored: Any) -> str:
    """Return the value for a CSV cell: ISO dates, yes/no, plain numbers."""
    if stored is None:
        return ""
    if field.field_type == FieldType.BOOLEAN:
        return "yes" if stored else "no"
    return str(stored)


def equals_q(field: CustomField, stored: Any) -> Q:
    """Return a condition: the employee's value of this field equals the stored value.

    On PostgreSQL a containment test (custom_fields @> '{"name": value}'), which the GIN
    index on the column serves; SQLite compares the extracted key.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{STORAGE}__contains": {field.name: stored}})
    return Q(**{f"{STORAGE}__{field.name}": stored})


def lookup(field: CustomField) -> str:
    """Return the ORM path of this field's value (for comparisons other than equality)."""
    return f"{STORAGE}__{field.name}"
