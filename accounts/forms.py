"""The owners' form mapping Microsoft Entra ID app roles to the HR admin role."""

from django import forms


class EntraRoleMappingForm(forms.Form):
    enabled = forms.BooleanField(
        label="Let Entra ID grant and remove the HR admin role",
        required=False,
        help_text="Off by default. Owners are never granted or removed by Entra ID.",
    )
    hr_admin_values = forms.CharField(
        label="Entra app role values that make someone an HR admin",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One per line, as in the Value column of the app roles of your Entra "
        "application, e.g. HRAdmin.",
    )

    def value_list(self) -> list[str]:
        text = self.cleaned_data.get("hr_admin_values") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
