"""Forms of the organisation pages: one per kind of record, the merge, the owners' setting."""

from __future__ import annotations

import zoneinfo

from django import forms

from employees.models import Employee
from organisation.kinds import DEPARTMENT, LEGAL_ENTITY, LOCATION, Kind
from organisation.models import Department, OrganisationSettings, OrgRecord
from organisation.selectors import org_record_choices

_TIME_ZONES = [("", "—"), *((name, name) for name in sorted(zoneinfo.available_timezones()))]


class _CountryField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=2,
            min_length=2,
            required=False,
            label="Country",
            help_text="Two-letter code, e.g. SE, DE, US.",
            error_messages={
                "min_length": "Enter the two-letter country code, e.g. SE.",
                "max_length": "Enter the two-letter country code, e.g. SE.",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if value and not value.isalpha():
            raise forms.ValidationError("Enter the two-letter country code, e.g. SE.")
        return value


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ("name", "parent", "head", "cost_center")
        labels = {"name": "Name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = org_record_choices(DEPARTMENT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None (a top-level department)"
        self.fields["head"].queryset = Employee.objects.filter(deleted_at__isnull=True).order_by(
            "family_name", "given_name"
        )
        self.fields["head"].empty_label = "No head of department"


class LocationForm(forms.ModelForm):
    country = _CountryField()
    time_zone = forms.ChoiceField(choices=_TIME_ZONES, required=False, label="Time zone")

    class Meta:
        model = LOCATION.model
        fields = ("name", "address", "country", "time_zone")
        labels = {"name": "Name"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class LegalEntityForm(forms.ModelForm):
    country = _CountryField()

    class Meta:
        model = LEGAL_ENTITY.model
        fields = ("name", "registration_number", "country")
        labels = {"name": "Company name"}


FORMS = {
    DEPARTMENT.slug: DepartmentForm,
    LOCATION.slug: LocationForm,
    LEGAL_ENTITY.slug: LegalEntityForm,
}


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=None, label="Merge into")

    def __init__(self, *args, kind: Kind, source: OrgRecord, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = org_record_choices(kind).exclude(pk=source.pk)
        self.fields["target"].empty_label = f"Choose a {kind.singular}"
        self.fields["target"].help_text = (
            f"Its employees move there and “{source.name}” stays as an old name that Entra "
            "may still send."
        )


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = OrganisationSettings
        fields = ("provisioning_creates_records",)
