"""Forms of time off: what HR configures and what people ask for."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from time_off import attachments
from time_off.models import WEEKDAY_NAMES, LeaveType, Policy


class DateInput(forms.DateInput):
    input_type = "date"


class LeaveTypeForm(forms.ModelForm):
    class Meta:
        model = LeaveType
        fields = [
            "name",
            "unit",
            "paid",
            "needs_approval",
            "needs_reason",
            "needs_attachment",
            "private",
            "color",
        ]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}


WEEKDAY_CHOICES = [(str(index), name) for index, name in enumerate(WEEKDAY_NAMES)]


class PolicyForm(forms.ModelForm):
    work_days = forms.MultipleChoiceField(
        label="Working days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
        help_text="The days a request costs; holidays never cost.",
    )

    class Meta:
        model = Policy
        fields = [
            "name",
            "leave_type",
            "yearly_allowance",
            "accrual",
            "reset_month",
            "carry_over_limit",
            "carry_over_expiry_months",
            "negative_limit",
            "hours_per_day",
            "legal_entity",
            "location",
            "department",
            "employment_type",
            "priority",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from employees.models import EmploymentType

        self.fields["employment_type"] = forms.ChoiceField(
            label="Employment type",
            choices=[("", "Any"), *EmploymentType.choices],
            required=False,
        )
        self.fields["leave_type"].queryset = LeaveType.objects.filter(archived_at__isnull=True)
        if self.instance.pk:
            self.initial["work_days"] = list(self.instance.work_week)

    def clean(self):
        data = super().clean()
        self.instance.work_week = "".join(sorted(data.get("work_days") or []))
        return data


class PolicyAssignmentForm(forms.Form):
    """One leave type of a person: a policy by hand (or the rules) and their own working days."""

    policy = forms.ChoiceField(label="Policy", required=False)
    work_days = forms.MultipleChoiceField(
        label="Own working days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="For a part-time work week. Leave all unticked to use the policy's working days.",
    )

    def __init__(self, *args, policies: list[Policy], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.policies = {str(policy.pk): policy for policy in policies}
        self.fields["policy"].choices = [
            ("", "By the rules"),
            *((key, policy.name) for key, policy in self.policies.items()),
        ]

    def clean_policy(self) -> Policy | None:
        return self.policies.get(self.cleaned_data["policy"])

    def clean_work_days(self) -> str:
        return "".join(sorted(self.cleaned_data["work_days"]))


class RequestForm(forms.Form):
    leave_type = forms.ModelChoiceField(
        label="Type", queryset=LeaveType.objects.filter(archived_at__isnull=True), empty_label=None
    )
    start_date = forms.DateField(label="First day", widget=DateInput)
    end_date = forms.DateField(label="Last day", widget=DateInput)
    starts_at_noon = forms.BooleanField(
        label="First day from noon (afternoon only)", required=False
    )
    ends_at_noon = forms.BooleanField(label="Last day until noon (morning only)", required=False)
    hours = forms.DecimalField(
        label="Hours",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text="For types counted in hours.",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(
        label="Attachment",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text="A PDF, PNG or JPEG up to 10 MB, such as a doctor's note. "
        "Some leave types need one.",
    )

    def clean_attachment(self):
        """Refuse a file that is too big or not a PDF, PNG or JPEG beside the field."""
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                attachments.check_upload(upload)
            except ValidationError as exc:
                raise ValidationError(exc.error_dict["attachment"]) from None
        return upload


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to deny.",
    )


class AdjustmentForm(forms.Form):
    amount = forms.CharField(label="Amount", help_text="Positive adds, negative takes, e.g. -1.5.")
    reason = forms.CharField(label="Reason", max_length=255)


class HolidayRegionForm(forms.Form):
    country = forms.CharField(label="Country", max_length=2, help_text="Two letters, e.g. SE.")
    subdivision = forms.CharField(label="Subdivision", max_length=10, required=False)


class HolidayAddForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput)
    name = forms.CharField(label="Name", max_length=200)
