"""Forms an owner fills in to create OAuth clients and add their credentials."""

from __future__ import annotations

import json

from django import forms

from access_tokens.forms import CredentialForm
from oauth_clients.jwks import check_url, validate_jwks
from oauth_clients.models import ClientCredential

SECRET_EXPIRY_CHOICES = [("365", "1 year"), ("730", "2 years"), ("1095", "3 years")]


class SecretExpiryField(forms.TypedChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label="Secret expires after",
            choices=SECRET_EXPIRY_CHOICES,
            coerce=int,
            initial="730",
            widget=forms.RadioSelect,
            error_messages={"required": "Choose when the secret expires."},
            **kwargs,
        )


class OAuthClientCreateForm(CredentialForm):
    noun = "client"
    secret_expires_in_days = SecretExpiryField()


class SecretAddForm(forms.Form):
    expires_in_days = SecretExpiryField()


class FederatedCredentialForm(forms.Form):
    name = forms.CharField(
        max_length=ClientCredential._meta.get_field("name").max_length,
        help_text="e.g. Entra ID workload identity.",
        error_messages={"required": "Enter a name."},
    )
    issuer = forms.CharField(
        max_length=500,
        help_text="The iss of the tokens, e.g. https://login.microsoftonline.com/<tenant id>/v2.0",
        error_messages={"required": "Enter the issuer."},
    )
    subject = forms.CharField(
        max_length=500,
        help_text="The sub of the tokens, e.g. the object id of Entra's service principal.",
        error_messages={"required": "Enter the subject."},
    )
    audience = forms.CharField(
        max_length=500,
        help_text="The aud the tokens must carry, e.g. api://AzureADTokenExchange.",
        error_messages={"required": "Enter the audience."},
    )
    jwks_url = forms.CharField(
        label="Keys URL",
        max_length=500,
        required=False,
        help_text=(
            "The issuer's OpenID configuration or JWKS URL. Leave empty to use "
            "<issuer>/.well-known/openid-configuration."
        ),
    )
    jwks = forms.CharField(
        label="Or upload the public keys (JWKS)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="For closed networks: paste the issuer's JWKS JSON. Keys are not fetched then.",
    )

    def clean_jwks_url(self) -> str:
        url = self.cleaned_data["jwks_url"].strip()
        if url:
            check_url(url)
        return url

    def clean_jwks(self) -> dict | None:
        raw = self.cleaned_data["jwks"].strip()
        if not raw:
            return None
        try:
            document = json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError("This is not valid JSON.") from error
        return validate_jwks(document)

    def clean(self):
        data = super().clean()
        if data.get("jwks") and data.get("jwks_url"):
            self.add_error("jwks", "Give a keys URL or upload keys, not both.")
        if not data.get("jwks") and not data.get("jwks_url") and data.get("issuer"):
            try:
                check_url(data["issuer"])
            except forms.ValidationError:
                self.add_error(
                    "jwks_url", "The issuer is not an https URL: give a keys URL or upload keys."
                )
        return data
