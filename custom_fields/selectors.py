"""Reads of custom field definitions."""

from __future__ import annotations

from alexis.snapshot import Snapshot
from custom_fields.models import CustomField, Visibility
from custom_fields.signals import custom_field_values_counted


def custom_field_list() -> list[CustomField]:
    """Return every custom field, by label (one query)."""
    return list(CustomField.objects.all())


# Read on every SCIM request (the extension schema's attributes): kept in the process for a
# moment, see alexis/snapshot.py. Pages and writes read custom_field_list().
custom_field_definitions = Snapshot(custom_field_list, watch=(CustomField,))


def custom_field_get(*, pk: int) -> CustomField | None:
    """Return the custom field with this id, or None."""
    return CustomField.objects.filter(pk=pk).first()


def custom_fields_for_employee_view(fields: list[CustomField]) -> list[CustomField]:
    """Return the fields an employee sees (and may edit) on their own record."""
    return [field for field in fields if field.visibility != Visibility.HR]


def custom_fields_for_everyone(fields: list[CustomField]) -> list[CustomField]:
    """Return the fields every employee sees on a colleague's card."""
    return [field for field in fields if field.visibility == Visibility.EVERYONE]


def custom_field_by_name(fields: list[CustomField], name: str) -> CustomField | None:
    """Return the field with this name in any letter case (names are case-insensitive)."""
    wanted = name.lower()
    return next((field for field in fields if field.name.lower() == wanted), None)


def custom_field_value_count(*, field: CustomField) -> int:
    """Return how many records hold a value of this field (asked of the apps that store them)."""
    responses = custom_field_values_counted.send(sender=CustomField, field=field)
    return sum(count for _, count in responses)
