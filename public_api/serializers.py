"""JSON shapes of the public API. Writes are handed to employees.services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from custom_fields import values as custom_values
from custom_fields.models import CustomField
from custom_fields.selectors import (
    custom_field_by_name,
    custom_field_definitions,
    custom_field_list,
)
from employees.models import Employee, EmploymentType
from employees.selectors import employee_get
from employees.services import Actor, employee_create, employee_update
from employees.validators import validate_e164

# API field name -> model field name, where they differ.
API_TO_MODEL = {"manager_id": "manager"}
MODEL_TO_API = {model: api for api, model in API_TO_MODEL.items()}


def _text(name: str, *validators: Callable[[str], None]) -> serializers.CharField:
    model_field = Employee._meta.get_field(name)
    return serializers.CharField(
        max_length=model_field.max_length,
        allow_blank=model_field.blank,
        required=not model_field.blank,
        validators=list(validators),
        help_text=str(model_field.help_text) or None,
    )


def django_errors_to_api(exc: DjangoValidationError) -> dict[str, list[str]]:
    """Return a service's errors keyed by API field names (the services name the field)."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    errors: dict[str, list[str]] = {}
    for name, messages in by_field.items():
        for message in messages:
            key = "non_field_errors" if name == NON_FIELD_ERRORS else MODEL_TO_API.get(name, name)
            errors.setdefault(key, []).append(message)
    return errors


@extend_schema_field(OpenApiTypes.OBJECT)  # its properties: public_api.schema.custom_fields_schema
class CustomFieldsField(serializers.Field):
    """The custom fields owners define, as {name: value}: every defined field, null if unset.

    Writing changes only the fields given (null or "" clears one). The definitions are read
    once per serializer, not per row: for a write, afresh; for a read, as SCIM reads them
    (kept in the process for a moment, see alexis/snapshot.py), which spares every read of
    the API a query.
    """

    default_error_messages = {"not_object": "Give the custom fields as an object."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "The custom fields owners define under Settings > Custom fields, by attribute name.",
        )
        super().__init__(**kwargs)
        self._definitions: list[CustomField] | None = None

    def definitions(self) -> list[CustomField]:
        if self._definitions is None:
            self._definitions = custom_field_list()
        return self._definitions

    def get_attribute(self, instance: Employee) -> dict[str, Any]:
        return instance.custom_fields or {}

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        if self._definitions is None:
            self._definitions = custom_field_definitions.get()
        return {d.name: value.get(d.name) for d in self._definitions}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("not_object")
        result: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name, raw in data.items():
            definition = custom_field_by_name(self.definitions(), str(name))
            if definition is None:
                errors[str(name)] = ["There is no custom field with this name."]
                continue
            try:
                result[definition.name] = custom_values.parse(definition, raw)
            except DjangoValidationError as exc:
                errors[definition.name] = exc.messages
                continue
            if result[definition.name] is None and definition.required:
                errors[definition.name] = ["This field is required."]
        if errors:
            raise serializers.ValidationError(errors)
        return result

    def missing_required(self, given: dict[str, Any]) -> dict[str, list[str]]:
        """Return an error for each required custom field that `given` leaves empty."""
        return {
            d.name: ["This field is required."]
            for d in self.definitions()
            if d.required and given.get(d.name) is None
        }


class ManagerSerializer(serializers.Serializer):
    """A short reference to an employee's manager."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    user_name = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class EmployeeSerializer(serializers.Serializer):
    """An employee record; the manager is given by id and, on read, as a short object."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Stable id.")
    user_name = _text("user_name")
    external_id = _text("external_id")
    given_name = _text("given_name")
    family_name = _text("family_name")
    display_name = _text("display_name")
    title = _text("title")
    work_email = serializers.EmailField(max_length=254)
    work_phone = _text("work_phone", validate_e164)
    employee_number = _text("employee_number")
    department = _text("department")
    cost_center = _text("cost_center")
    division = _text("division")
    organization = _text("organization")
    location = _text("location")
    employment_type = serializers.ChoiceField(
        choices=EmploymentType.choices, allow_blank=True, required=False
    )
    manager_id = serializers.UUIDField(
        allow_null=True, required=False, help_text="The manager's id, or null for none."
    )
    manager = ManagerSerializer(read_only=True, allow_null=True)
    active = serializers.BooleanField(required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    custom_fields = CustomFieldsField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def __init__(self, *args: Any, select: frozenset[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if select is not None:
            for name in list(self.fields):
                if name not in select:
                    self.fields.pop(name)

    def to_representation(self, instance: Employee) -> dict[str, Any]:
        data = super().to_representation(instance)
        if "manager_id" in data:
            data["manager_id"] = str(instance.manager.public_id) if instance.manager else None
        return data

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            errors = {
                name: ["This field is read-only." if name in self.fields else "Unknown field."]
                for name in data
                if name not in writable
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate_manager_id(self, value):
        if value is None:
            return None
        manager = employee_get(public_id=value)
        if manager is None:
            raise serializers.ValidationError("No employee has this id.")
        return manager

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"end_date": ["The end date cannot be before the start date."]}
            )
        if self.instance is None and "custom_fields" in self.fields:
            missing = self.fields["custom_fields"].missing_required(attrs.get("custom_fields", {}))
            if missing:
                raise serializers.ValidationError({"custom_fields": missing})
        return {API_TO_MODEL.get(name, name): value for name, value in attrs.items()}

    def create(self, validated_data: dict[str, Any]) -> Employee:
        actor: Actor = self.context["actor"]
        try:
            return employee_create(actor=actor, **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors_to_api(exc)) from None

    def update(self, instance: Employee, validated_data: dict[str, Any]) -> Employee:
        actor: Actor = self.context["actor"]
        try:
            return employee_update(employee=instance, actor=actor, data=validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors_to_api(exc)) from None


class DepartmentSerializer(serializers.Serializer):
    """A department record and how many active employees work in it."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Stable id.")
    name = serializers.CharField(read_only=True)
    parent = serializers.UUIDField(
        source="parent.public_id",
        read_only=True,
        allow_null=True,
        help_text="The id of the parent department, or null for a top-level one.",
    )
    head = serializers.UUIDField(
        source="head.public_id",
        read_only=True,
        allow_null=True,
        help_text="The employee id of the head of department, or null.",
    )
    cost_center = serializers.CharField(read_only=True, help_text="The default cost center.")
    headcount = serializers.IntegerField(read_only=True, min_value=0)


def employee_select_fields() -> list[str]:
    """Return the field names that `select` accepts, in response order."""
    # The class's declared fields: building a serializer to list them deep-copies every
    # field, on every request that is checked against them.
    return list(EmployeeSerializer._declared_fields)


class TeamSerializer(serializers.Serializer):
    """A team (a group provisioned from Entra ID over SCIM, or kept by HR); read-only."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Stable id.")
    display_name = serializers.CharField(read_only=True)
    external_id = serializers.CharField(
        read_only=True, help_text="The group's id in Microsoft Entra ID, or empty."
    )
    member_count = serializers.IntegerField(
        read_only=True, min_value=0, help_text="How many employees belong to the team."
    )
    last_synced_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When SCIM last changed the team; null for a team kept by HR.",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def __init__(self, *args: Any, select: frozenset[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if select is not None:
            for name in list(self.fields):
                if name not in select:
                    self.fields.pop(name)


def team_select_fields() -> list[str]:
    """Return the team field names that `select` accepts, in response order."""
    return list(TeamSerializer._declared_fields)  # see employee_select_fields
