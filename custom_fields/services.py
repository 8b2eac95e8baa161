"""Writes to custom field definitions (owners, in Settings or with a management command)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from custom_fields.models import CustomField, FieldType, Visibility
from custom_fields.signals import custom_field_deleted

MAX_CHOICES = 100
MAX_CHOICE_LENGTH = 100

# Names that other apps already give an employee attribute beside the custom fields
# {lower-case name: what it is}: SCIM's Alexis extension holds startDate and endDate, and a
# custom field of the same name could not be told apart from them.
_reserved_names: dict[str, str] = {}


def custom_field_names_reserve(names: Iterable[str], *, meaning: str) -> None:
    """Keep `names` from custom fields (called from an app's ready())."""
    for name in names:
        _reserved_names[name.lower()] = meaning


def name_from_label(label: str) -> str:
    """Suggest an attribute name from a label: "Badge colour" -> "badgeColour"."""
    words = re.findall(r"[A-Za-z0-9]+", label)
    name = "".join(
        word.lower() if index == 0 else word[:1].upper() + word[1:].lower()
        for index, word in enumerate(words)
    )
    return name.lstrip("0123456789")[:63]


def label_from_name(name: str) -> str:
    """Suggest a label from an attribute name: "badgeColor" -> "Badge color"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def clean_choices(field_type: str, choices: Any) -> list[str]:
    """Return the choices as a list of distinct, trimmed strings; [] unless a choice field."""
    if field_type != FieldType.CHOICE:
        return []
    if not isinstance(choices, list | tuple) or not all(isinstance(c, str) for c in choices):
        raise ValidationError({"choices": ["Give the choices as a list of text values."]})
    cleaned: list[str] = []
    for choice in (c.strip() for c in choices):
        if not choice:
            continue
        if len(choice) > MAX_CHOICE_LENGTH:
            raise ValidationError(
                {"choices": [f"Keep each choice to {MAX_CHOICE_LENGTH} characters."]}
            )
        if choice.lower() in (c.lower() for c in cleaned):
            raise ValidationError({"choices": [f"{choice} is listed twice."]})
        cleaned.append(choice)
    if not cleaned:
        raise ValidationError({"choices": ["Give at least one choice."]})
    if len(cleaned) > MAX_CHOICES:
        raise ValidationError({"choices": [f"Give at most {MAX_CHOICES} choices."]})
    return cleaned


def _check_unique(field: CustomField) -> None:
    others = CustomField.objects.exclude(pk=field.pk) if field.pk else CustomField.objects.all()
    errors = {}
    meaning = _reserved_names.get(field.name.lower())
    if meaning is not None and field.pk is None:
        errors["name"] = [
            f"{field.name} is already an employee field in Alexis ({meaning}); choose another name."
        ]
    if others.annotate(lname=Lower("name")).filter(lname=field.name.lower()).exists():
        errors["name"] = ["A custom field with this name already exists."]
    if others.annotate(llabel=Lower("label")).filter(llabel=field.label.strip().lower()).exists():
        errors["label"] = ["A custom field with this label already exists."]
    if errors:
        raise ValidationError(errors)


def _save(field: CustomField) -> CustomField:
    field.full_clean(validate_constraints=False)
    _check_unique(field)
    try:
        with transaction.atomic():
            field.save()
    except IntegrityError:  # a concurrent create with the same name or label
        raise ValidationError({"name": ["A custom field with this name already exists."]}) from None
    return field


def custom_field_create(
    *,
    name: str,
    label: str = "",
    field_type: str = FieldType.TEXT,
    choices: Any = (),
    required: bool = False,
    visibility: str = Visibility.HR,
) -> CustomField:
    """Define a new custom field; the label defaults to one made from the name."""
    name = (name or "").strip()
    field = CustomField(
        name=name,
        label=(label or "").strip() or label_from_name(name),
        field_type=field_type,
        choices=clean_choices(field_type, list(choices)),
        required=required,
        visibility=visibility,
    )
    return _save(field)


def custom_field_update(
    *,
    field: CustomField,
    label: str,
    choices: Any = (),
    required: bool,
    visibility: str,
) -> CustomField:
    """Change a field's label, choices, whether it is required and who sees it.

    The name and type stay: Entra mappings and stored values depend on them. A removed
    choice stays on the employees who hold it until HR changes their value.
    """
    field.label = (label or "").strip()
    field.choices = clean_choices(field.field_type, list(choices))
    field.required = required
    field.visibility = visibility
    return _save(field)


def custom_field_delete(*, field: CustomField) -> None:
    """Delete a field and every employee's value of it, in one transaction."""
    with transaction.atomic():
        custom_field_deleted.send(sender=CustomField, field=field)
        field.delete()
