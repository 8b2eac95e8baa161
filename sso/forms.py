"""Forms for single sign-on: the settings page and the password sign-in rule."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.roles import is_owner
from sso.selectors import sso_configuration_get
from sso.services import certificate_validate, federation_metadata_parse

# Uploaded files are small text; refuse anything larger before parsing it.
MAX_UPLOAD_BYTES = 256 * 1024

SSO_REQUIRED_MESSAGE = (
    "Your organisation signs in with Microsoft. Use “Sign in with Microsoft” instead of a password."
)


class SsoConfigurationForm(forms.Form):
    """Owner-edited settings; a Federation Metadata XML file fills the three IdP fields."""

    metadata_imported = False

    enabled = forms.BooleanField(
        label="Turn on single sign-on",
        required=False,
        help_text="Employees can sign in with their Microsoft account.",
    )
    require_sso = forms.BooleanField(
        label="Require single sign-on for everyone but owners",
        required=False,
        help_text="Password sign-in is refused except for owners (break-glass access).",
    )
    metadata_file = forms.FileField(
        label="Federation Metadata XML",
        required=False,
        help_text="Upload the file from Entra to fill in the three values below.",
    )
    idp_entity_id = forms.CharField(
        label="Microsoft Entra Identifier (IdP entity ID)",
        required=False,
        max_length=1024,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    idp_login_url = forms.CharField(
        label="Login URL",
        required=False,
        max_length=2048,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    idp_certificate = forms.CharField(
        label="Signing certificate (Base64)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Paste the contents of “Certificate (Base64)”, or upload the file below.",
    )
    certificate_file = forms.FileField(
        label="Certificate file",
        required=False,
        help_text="The .cer file from Entra (Base64 or raw).",
    )

    def _read(self, name: str) -> bytes | None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({name: "This file is too large (256 KB at most)."})
        return upload.read()

    def clean(self):
        cleaned = super().clean()
        metadata = self._read("metadata_file")
        if metadata is not None:
            try:
                values = federation_metadata_parse(xml=metadata)
            except ValidationError as exc:
                self.add_error("metadata_file", exc)
            else:
                cleaned["idp_entity_id"] = values.idp_entity_id
                cleaned["idp_login_url"] = values.idp_login_url
                cleaned["idp_certificate"] = values.idp_certificate
                self.metadata_imported = True
                # Show the imported values if the page comes back with errors elsewhere.
                self.data = self.data.copy()
                self.data["idp_entity_id"] = values.idp_entity_id
                self.data["idp_login_url"] = values.idp_login_url
                self.data["idp_certificate"] = values.idp_certificate
        certificate = self._read("certificate_file")
        if certificate is not None:
            try:
                cleaned["idp_certificate"] = certificate_validate(certificate=certificate).pem
            except ValidationError as exc:
                self.add_error("certificate_file", exc)
        return cleaned


class SsoAwareSignInMixin:
    """Refuse password sign-in to everyone but owners when single sign-on is required."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        configuration = sso_configuration_get()
        if configuration.require_sso and configuration.is_active and not is_owner(user):
            raise ValidationError(SSO_REQUIRED_MESSAGE, code="sso_required")


class SignInForm(SsoAwareSignInMixin, AuthenticationForm):
    """The sign-in page's password form."""


class AdminSignInForm(SsoAwareSignInMixin, AdminAuthenticationForm):
    """The Django admin's password form."""
