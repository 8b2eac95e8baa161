"""Forms of self-service: the employee's personal details, and HR's rules."""

from __future__ import annotations

from django import forms

from employees.models import Employee
from self_service.fields import PERSONAL_FIELDS, PHOTO, RULE_FIELDS

AT_ONCE = "at_once"
NEEDS_APPROVAL = "approval"
RULE_CHOICES = [(AT_ONCE, "Applies at once"), (NEEDS_APPROVAL, "Needs HR approval")]


class PersonalDetailsForm(forms.Form):
    """The personal details an employee edits; validated again by the service."""

    def __init__(self, *args, employee: Employee, **kwargs):
        initial = {field.name: getattr(employee, field.name) for field in PERSONAL_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(
            forms.fields_for_model(Employee, fields=[field.name for field in PERSONAL_FIELDS])
        )
        for field in PERSONAL_FIELDS:
            self.fields[field.name].label = field.label
        self.fields["home_address"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["emergency_contacts"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["mobile_phone"].widget = forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel"}
        )
        self.fields["personal_email"].widget.attrs["autocomplete"] = "email"
        self.fields["home_address"].widget.attrs["autocomplete"] = "street-address"

    def clean(self):
        # The model's own validators (e.g. the phone format), so that every error shows at once.
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            try:
                Employee._meta.get_field(name).run_validators(value)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return cleaned


class FieldRulesForm(forms.Form):
    """Per personal detail: does an employee's change apply at once or wait for HR?"""

    def __init__(self, *args, rules: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for field in RULE_FIELDS:
            self.fields[field.name] = forms.ChoiceField(
                label=field.label,
                choices=RULE_CHOICES,
                widget=forms.RadioSelect,
                initial=NEEDS_APPROVAL if rules[field.name] else AT_ONCE,
                # The photo's rule came later: a form sent without it keeps the rule as it is.
                required=field.name != PHOTO,
            )

    def rules(self) -> dict[str, bool]:
        return {name: value == NEEDS_APPROVAL for name, value in self.cleaned_data.items() if value}
