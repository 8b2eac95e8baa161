"""Forms: the owners' custom field definition form, and the form fields that enter values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from custom_fields import values
from custom_fields.models import CustomField, FieldType, Visibility, validate_name
from custom_fields.services import name_from_label

FORM_PREFIX = "cf_"


class CustomValueField(forms.Field):
    """Enter one custom field's value; cleans to the stored form (None when empty)."""

    def __init__(self, definition: CustomField, current: Any = None, **kwargs: Any) -> None:
        self.definition = definition
        self.current = current
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if self.current is not None and value == str(self.current):
            return self.current  # kept as it is, even a choice since taken off the list
        try:
            return values.parse(self.definition, value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0], code=exc.error_list[0].code) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def _widget(definition: CustomField, current: Any) -> forms.Widget:
    kind = definition.field_type
    if kind == FieldType.NUMBER:
        return forms.NumberInput(attrs={"step": "any"})
    if kind == FieldType.DATE:
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if kind == FieldType.BOOLEAN:
        return forms.Select(choices=[("", "—"), ("true", "Yes"), ("false", "No")])
    if kind == FieldType.CHOICE:
        options = list(definition.choices)
        if current is not None and current not in options:
            options.append(current)  # kept from before the choice was taken off the list
        return forms.Select(choices=[("", "—"), *((option, option) for option in options)])
    return forms.TextInput(attrs={"maxlength": values.MAX_TEXT_LENGTH})


def form_field(definition: CustomField, current: Any = None) -> CustomValueField:
    """Return the form field that edits this custom field, showing the current value."""
    initial = current
    if definition.field_type == FieldType.BOOLEAN and current is not None:
        initial = "true" if current else "false"
    return CustomValueField(
        definition,
        current,
        label=definition.label,
        required=definition.required,
        initial=initial,
        widget=_widget(definition, current),
    )


def add_value_fields(
    form: forms.BaseForm, definitions: list[CustomField], current: dict[str, Any]
) -> None:
    """Add a field per definition to `form`, named cf_<name>, showing the current values."""
    for definition in definitions:
        form.fields[FORM_PREFIX + definition.name] = form_field(
            definition, current.get(definition.name)
        )
    form.custom_definitions = definitions


def value_data(form: forms.BaseForm) -> dict[str, Any]:
    """Return {name: stored value} of a bound, valid form's custom fields."""
    return {
        definition.name: form.cleaned_data.get(FORM_PREFIX + definition.name)
        for definition in getattr(form, "custom_definitions", [])
    }


def put_errors(form: forms.BaseForm, error: ValidationError) -> ValidationError | None:
    """Move errors keyed "custom_fields.<name>" beside their form field; return the rest."""
    if not hasattr(error, "error_dict"):
        return error
    rest: dict[str, list] = {}
    for key, messages in error.error_dict.items():
        name = key.removeprefix("custom_fields.") if key.startswith("custom_fields.") else None
        if name is not None and FORM_PREFIX + name in form.fields:
            form.add_error(FORM_PREFIX + name, messages)
        else:
            rest[key] = messages
    return ValidationError(rest) if rest else None


class CustomFieldForm(forms.ModelForm):
    """Define or change a custom field (owners, Settings > Custom fields)."""

    choices_text = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For “One of a list”: one choice per line.",
    )

    class Meta:
        model = CustomField
        fields = ["label", "name", "field_type", "required", "visibility"]
        labels = {"name": "Attribute name", "field_type": "Type", "required": "Required"}
        help_texts = {
            "name": "Used in the API and by Microsoft Entra ID (SCIM); letters and digits, "
            "e.g. badgeColor. Leave empty to make one from the label. It cannot change later.",
            "visibility": "HR always sees and edits the field. “HR and the employee”: "
            "employees also see and edit their own value. “Everyone”: as well, every employee "
            "sees it on the employee's colleague page.",
        }
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["visibility"].choices = Visibility.choices
        if self.instance.pk:
            self.fields["name"].disabled = True
            self.fields["field_type"].disabled = True
            self.fields["name"].help_text = "Used in the API and by Microsoft Entra ID (SCIM)."
            self.fields["field_type"].help_text = "The type cannot change once values exist."
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean_name(self) -> str:
        if self.instance.pk:
            return self.instance.name
        name = (self.cleaned_data.get("name") or "").strip()
        if name:
            validate_name(name)
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.instance.pk and not data.get("name") and data.get("label"):
            suggested = name_from_label(data["label"])
            if suggested:
                data["name"] = suggested
            else:
                self.add_error("name", "Give an attribute name: letters and digits.")
        if data.get("field_type") == FieldType.CHOICE and not self.choice_list():
            self.add_error("choices_text", "Give at least one choice, one per line.")
        return data

    def _post_clean(self) -> None:
        # Validation runs in custom_fields.services; the model's own checks would repeat it.
        pass

    def choice_list(self) -> list[str]:
        text = self.cleaned_data.get("choices_text") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def put_service_errors(self, error: ValidationError) -> None:
        """Show a service's errors beside the fields they name."""
        for field, messages in error.message_dict.items():
            target = {"choices": "choices_text", "field_type": "field_type"}.get(field, field)
            self.add_error(target if target in self.fields else None, messages)
