"""The form an owner fills in to create an access token, and what OAuth clients share of it."""

from django import forms

from access_tokens.models import AccessToken, Scope

NEVER = "never"
EXPIRY_CHOICES = [
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "365 days"),
    (NEVER, "Never"),
]


class CredentialForm(forms.Form):
    """Name, description and scopes: what every credential an owner creates starts with."""

    noun = "token"
    name = forms.CharField(
        max_length=AccessToken._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name."},
    )
    description = forms.CharField(
        max_length=AccessToken._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "name"
        ].help_text = f"What the {self.noun} is for, e.g. Microsoft Entra ID provisioning."


class AccessTokenCreateForm(CredentialForm):
    expires_in_days = forms.ChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        initial="365",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires."},
    )

    def clean_expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires_in_days"]
        return None if value == NEVER else int(value)
