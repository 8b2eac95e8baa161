"""Forms of the checklist pages: a template, a template's task, cancelling a checklist."""

from __future__ import annotations

from django import forms

from checklists.models import AssigneeRole, ChecklistTemplate, TemplateTask
from employees.models import Employee, EmploymentType
from organisation.kinds import DEPARTMENT, LEGAL_ENTITY, LOCATION
from organisation.selectors import org_record_choices
from teams.models import Team


class TemplateForm(forms.ModelForm):
    employment_types = forms.MultipleChoiceField(
        choices=EmploymentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Employment types",
        help_text="None ticked: every employment type.",
    )

    class Meta:
        model = ChecklistTemplate
        fields = (
            "name",
            "kind",
            "active",
            "legal_entities",
            "locations",
            "departments",
            "employment_types",
        )
        labels = {"name": "Name", "kind": "Kind", "active": "In use"}
        widgets = {
            "legal_entities": forms.CheckboxSelectMultiple,
            "locations": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (
            ("legal_entities", LEGAL_ENTITY),
            ("locations", LOCATION),
            ("departments", DEPARTMENT),
        ):
            self.fields[name].queryset = org_record_choices(kind)
            self.fields[name].required = False
            self.fields[name].help_text = "None ticked: all of them."
            self.fields[name].label = str(kind.plural).capitalize()


WHEN_CHOICES = [("before", "before"), ("on", "on the day"), ("after", "after")]


class TemplateTaskForm(forms.ModelForm):
    days = forms.IntegerField(min_value=0, max_value=365, initial=0, label="Due (days)")
    when = forms.ChoiceField(choices=WHEN_CHOICES, initial="on", label="Before or after")
    person = forms.CharField(
        required=False,
        max_length=255,
        label="Person (user name)",
        help_text="For a task assigned to a named person, e.g. it.desk@contoso.com.",
    )

    class Meta:
        model = TemplateTask
        fields = ("title", "description", "assignee_role", "assignee_team")
        labels = {
            "title": "Title",
            "description": "Description",
            "assignee_role": "Assigned to",
            "assignee_team": "Team",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_team"].queryset = Team.objects.filter(
            deleted_at__isnull=True
        ).order_by("display_name")
        self.fields["assignee_team"].empty_label = "—"
        self.fields["assignee_team"].help_text = "For a task assigned to a team."
        task = self.instance
        if task.pk:
            self.fields["days"].initial = abs(task.offset_days)
            self.fields["when"].initial = (
                "before" if task.offset_days < 0 else "after" if task.offset_days > 0 else "on"
            )
            if task.assignee_employee_id:
                self.fields["person"].initial = task.assignee_employee.user_name

    def clean(self):
        data = super().clean()
        days, when = data.get("days"), data.get("when")
        if days is not None and when:
            data["offset_days"] = 0 if when == "on" else (-days if when == "before" else days)
        role = data.get("assignee_role")
        person = (data.get("person") or "").strip()
        data["assignee_employee"] = None
        if role == AssigneeRole.PERSON:
            if not person:
                self.add_error("person", "Give the user name of the person who does this task.")
            else:
                employee = Employee.objects.filter(
                    user_name__iexact=person, deleted_at__isnull=True
                ).first()
                if employee is None:
                    self.add_error("person", "No employee has this user name.")
                data["assignee_employee"] = employee
        if role == AssigneeRole.TEAM and not data.get("assignee_team"):
            self.add_error("assignee_team", "Choose the team that does this task.")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "assignee_role": data["assignee_role"],
            "assignee_employee": data["assignee_employee"],
            "assignee_team": data.get("assignee_team"),
            "offset_days": data["offset_days"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Reason",
        help_text="For example: the leave was cancelled, or they were rehired.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverviewFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *ChecklistTemplate._meta.get_field("kind").choices],
        required=False,
        label="Kind",
    )
    overdue = forms.BooleanField(required=False, label="Only with overdue tasks")
