"""Forms of the HR web app: the directory filters and the employee form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.urls import reverse

from custom_fields.forms import FORM_PREFIX, add_value_fields, value_data
from custom_fields.models import CustomField, FieldType
from custom_fields.values import parse as parse_custom_value
from employees.models import Employee, EmploymentType, EndReason
from employees.selectors import DIRECTORY_SORTS, FILTER_FIELDS, employee_by_user_name
from employees.services import PERSONAL_FIELDS, employee_check_manager

# The fields Microsoft Entra ID provisions over SCIM: on a SCIM-managed employee the next
# sync overwrites a local change to any of them.
SCIM_MANAGED_FIELDS = frozenset(
    {
        "user_name",
        "given_name",
        "family_name",
        "display_name",
        "title",
        "work_email",
        "work_phone",
        "employee_number",
        "department",
        "cost_center",
        "division",
        "organization",
        "manager",
        "active",
    }
)

FILTER_LABELS = {
    "department": "Department",
    "division": "Division",
    "organization": "Organisation",
    "cost_center": "Cost center",
}
SORT_CHOICES = [(key, key) for key in DIRECTORY_SORTS] + [
    (f"-{key}", key) for key in DIRECTORY_SORTS
]


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters; an invalid value is ignored, never an error page."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    department = forms.CharField(required=False)
    division = forms.CharField(required=False)
    organization = forms.CharField(required=False)
    cost_center = forms.CharField(required=False)
    team = forms.ChoiceField(label="Team", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and inactive"), ("active", "Active"), ("inactive", "Inactive")],
    )
    source = forms.ChoiceField(
        label="Managed by",
        required=False,
        choices=[("", "SCIM and HR"), ("scim", "SCIM (Entra ID)"), ("hr", "HR")],
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        options: dict[str, list[str]],
        teams: Sequence[tuple[str, str]] = (),
        custom_definitions: Sequence[CustomField] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All"), *teams]
        self.custom_definitions = list(custom_definitions)
        for definition in self.custom_definitions:
            self.fields[FORM_PREFIX + definition.name] = _custom_filter_field(definition)
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Name, user name, email, title or employee number",
                "autocomplete": "off",
                "data-live-search": "",
            }
        )
        for field in FILTER_FIELDS:
            choices = [("", "All"), *((value, value) for value in options[field])]
            self.fields[field].label = FILTER_LABELS[field]
            self.fields[field].widget = forms.Select(choices=choices)

    def selector_filters(self) -> dict[str, Any]:
        """Return employee_directory() arguments for the valid values of this form."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status")
        source = data.get("source")
        return {
            "search": data.get("q") or None,
            **{field: data.get(field) or None for field in FILTER_FIELDS},
            "active": {"active": True, "inactive": False}.get(status or ""),
            "scim_managed": {"scim": True, "hr": False}.get(source or ""),
            "team": data.get("team") or None,
            "custom": self._custom_filters(),
            "sort": data.get("sort") or "name",
        }

    def _custom_filters(self) -> dict[CustomField, Any]:
        """Return {definition: stored value} of each custom field filter given a valid value."""
        wanted = {}
        for definition in self.custom_definitions:
            raw = self.data.get(FORM_PREFIX + definition.name)
            try:
                value = parse_custom_value(definition, raw)
            except forms.ValidationError:
                continue  # like the other filters: an invalid value is ignored
            if value is not None:
                wanted[definition] = value
        return wanted

    def custom_filter_fields(self) -> list[forms.BoundField]:
        return [self[FORM_PREFIX + definition.name] for definition in self.custom_definitions]


def _custom_filter_field(definition: CustomField) -> forms.Field:
    """A directory filter for one custom field: a list where the values are known."""
    kind = definition.field_type
    if kind == FieldType.CHOICE:
        choices = [("", "All"), *((choice, choice) for choice in definition.choices)]
        return forms.ChoiceField(label=definition.label, required=False, choices=choices)
    if kind == FieldType.BOOLEAN:
        choices = [("", "All"), ("true", "Yes"), ("false", "No")]
        return forms.ChoiceField(label=definition.label, required=False, choices=choices)
    widget: forms.Widget = forms.TextInput(attrs={"placeholder": "Exact value"})
    if kind == FieldType.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif kind == FieldType.NUMBER:
        widget = forms.NumberInput(attrs={"step": "any"})
    return forms.CharField(label=definition.label, required=False, widget=widget)


class DeactivateForm(forms.Form):
    """The last working day and why the employee leaves, asked when HR deactivates them."""

    end_date = forms.DateField(
        label="Last working day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_reason = forms.ChoiceField(
        label="Reason for leaving", choices=[("", "Choose a reason"), *EndReason.choices]
    )


class ManagerField(forms.CharField):
    """The manager, entered by user name (a select of every employee would not scale)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Employee):
            return value.user_name
        if isinstance(value, int):
            manager = Employee.objects.filter(pk=value).only("user_name").first()
            return manager.user_name if manager else ""
        return value

    def clean(self, value: Any) -> Employee | None:
        user_name = super().clean(value)
        if not user_name:
            return None
        manager = employee_by_user_name(user_name.strip())
        if manager is None:
            raise forms.ValidationError("No employee has this user name.", code="unknown_manager")
        return manager


class EmployeeForm(forms.ModelForm):
    """Every HR field of an employee. Writes go through employees.services."""

    manager = ManagerField(
        required=False,
        label="Manager",
        help_text="The manager's user name, for example alice@contoso.com. Leave empty for none.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Employee
        fields = [
            "given_name",
            "family_name",
            "display_name",
            "user_name",
            "work_email",
            "work_phone",
            "title",
            "employee_number",
            "department",
            "cost_center",
            "division",
            "organization",
            "location",
            "employment_type",
            "manager",
            "start_date",
            "end_date",
            "end_reason",
            *PERSONAL_FIELDS,
        ]
        widgets = {
            "work_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "mobile_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "home_address": forms.Textarea(attrs={"rows": 3}),
            "emergency_contacts": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(
        self, *args: Any, custom_definitions: Sequence[CustomField] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        add_value_fields(self, list(custom_definitions), self.instance.custom_fields or {})
        self.fields["manager"].widget.attrs.update(
            {
                "list": "manager-suggestions",
                "autocomplete": "off",
                "data-suggest-url": reverse("employees:suggestions"),
            }
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["manager"] = self.instance.manager
        self.scim_managed = bool(self.instance.pk and self.instance.is_scim_managed)
        employment_type = self.fields["employment_type"]
        employment_type.choices = [("", "Not set"), *EmploymentType.choices]
        if not self.instance.pk:
            employment_type.initial = EmploymentType.FULL_TIME
        self.fields["end_reason"].choices = [("", "Not set"), *EndReason.choices]

    @property
    def scim_managed_fields(self) -> frozenset[str]:
        """Return the fields whose local change the next SCIM sync overwrites."""
        return SCIM_MANAGED_FIELDS if self.scim_managed else frozenset()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("home_address", "emergency_contacts"):
            if data.get(name):
                data[name] = data[name].replace("\r\n", "\n")  # as browsers send a text area
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        manager = data.get("manager")
        if manager is not None and manager != self.initial.get("manager"):
            # Checked here as well as in the service, so that every error shows at once.
            try:
                employee_check_manager(employee=self.instance, manager=manager)
            except forms.ValidationError as exc:
                for message in exc.message_dict.get("manager", exc.messages):
                    self.add_error("manager", message)
        return data

    def service_data(self) -> dict[str, Any]:
        """Return the cleaned values keyed by employee field, for the services."""
        data = {field: self.cleaned_data[field] for field in self._meta.fields}
        data["custom_fields"] = value_data(self)
        return data


class MyCustomFieldsForm(forms.Form):
    """The custom fields an employee may see and edit on their own record."""

    def __init__(
        self, *args: Any, employee: Employee, custom_definitions: Sequence[CustomField], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        add_value_fields(self, list(custom_definitions), employee.custom_fields or {})

    def service_data(self) -> dict[str, Any]:
        return {"custom_fields": value_data(self)}
