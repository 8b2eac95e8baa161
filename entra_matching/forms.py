"""The Entra matching preview's upload form."""

from django import forms


class EntraUsersForm(forms.Form):
    file = forms.FileField(
        label="Entra's user list (CSV)",
        required=False,
        help_text="In the Entra admin center: Users > All users > Download users.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )
    pasted = forms.CharField(
        label="Or paste user principal names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, e.g. ada@contoso.com.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("Upload Entra's CSV or paste user principal names.")
        return data
