"""The custom field values employees hold: how a write gives and checks them, and what
happens to them when a custom field is deleted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Func, JSONField
from django.utils import timezone

from custom_fields import values as custom_values
from custom_fields.models import CustomField
from custom_fields.selectors import custom_field_by_name, custom_field_list
from employees.models import Employee

# A mapping {custom field name: value} given to the services changes those custom fields only
# (an empty value clears one); history names each as "custom_fields.<name>".
CUSTOM_FIELDS = "custom_fields"
CUSTOM_PREFIX = "custom_fields."


def custom_values_split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate custom field values from the rest of `data`.

    They come as {"custom_fields": {name: value}} or one by one as {"custom_fields.<name>":
    value} (the SCIM catalogue stages each attribute under its own key).
    """
    rest: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for key, value in data.items():
        if key == CUSTOM_FIELDS:
            if not isinstance(value, Mapping):
                raise ValidationError({CUSTOM_FIELDS: ["Give the custom fields as an object."]})
            custom.update(value)
        elif key.startswith(CUSTOM_PREFIX):
            custom[key.removeprefix(CUSTOM_PREFIX)] = value
        else:
            rest[key] = value
    return rest, custom


def custom_values_apply(
    current: Mapping[str, Any], given: Any, definitions: list[CustomField] | None = None
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Return the custom field values after applying `given`, and what changed.

    Errors are keyed "custom_fields.<name>" so that each caller can name the field its way.
    A value given as it is already stored is not checked again: a choice since taken off the
    list stays until someone changes it.
    """
    if not given:
        return dict(current), {}
    if definitions is None:
        definitions = custom_field_list()
    result = dict(current)
    changes: dict[str, list[Any]] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name, raw in given.items():
        field = custom_field_by_name(definitions, str(name))
        if field is None:
            errors[f"{CUSTOM_PREFIX}{name}"] = [
                ValidationError("There is no custom field with this name.", code="unknown")
            ]
            continue
        old = current.get(field.name)
        if raw == old and type(raw) is type(old):
            continue  # kept as it is, even a choice since taken off the list
        try:
            value = custom_values.parse(field, raw)
        except ValidationError as exc:
            errors[f"{CUSTOM_PREFIX}{field.name}"] = exc.error_list
            continue
        if value == old and type(value) is type(old):
            continue
        changes[f"{CUSTOM_PREFIX}{field.name}"] = [old, value]
        if value is None:
            result.pop(field.name, None)
        else:
            result[field.name] = value
    if errors:
        raise ValidationError(errors)
    return result, changes


class _WithoutKey(Func):
    """A JSON object without one key (PostgreSQL `-`, SQLite json_remove)."""

    output_field = JSONField()

    def __init__(self, expression: Any, key: str) -> None:
        super().__init__(expression)
        self.key = key

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({sql} - %s)", (*params, self.key)
        return f"json_remove({sql}, %s)", (*params, f'$."{self.key}"')


def employee_custom_values_drop(*, field: CustomField, **kwargs: Any) -> int:
    """Remove a deleted custom field's value from every employee holding one (one UPDATE).

    Connected to custom_fields' custom_field_deleted signal; runs in the deleting
    transaction. The version goes up, so SCIM clients see the resource changed.
    """
    return Employee.objects.filter(**{f"{CUSTOM_FIELDS}__has_key": field.name}).update(
        custom_fields=_WithoutKey(F(CUSTOM_FIELDS), field.name),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
