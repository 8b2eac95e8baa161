"""What happens to the custom field values employees hold when a custom field is deleted."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, JSONField
from django.utils import timezone

from custom_fields.models import CustomField
from employees.models import Employee
from employees.services import CUSTOM_FIELDS


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
