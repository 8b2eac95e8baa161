"""The provisioning log's filter form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from access_tokens.models import AccessToken
from oauth_clients.models import OAuthClient
from provisioning.models import Operation, ProvisioningSettings

CURSOR = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d)_(\d{1,18})$")


def _status(value: str) -> str:
    if value in ("", "failed", "succeeded") or re.fullmatch(r"[1-5]\d\d", value):
        return value
    raise forms.ValidationError("Choose failed, succeeded, or type an HTTP status such as 401.")


class EventFilterForm(forms.Form):
    """Filters for the provisioning log; every field is optional."""

    status = forms.CharField(
        required=False,
        max_length=9,
        validators=[_status],
        help_text="failed, succeeded, or a status code",
        widget=forms.TextInput(attrs={"list": "status-options"}),
    )
    operation = forms.ChoiceField(
        required=False, choices=[("", "Any operation"), *Operation.choices]
    )
    token = forms.ModelChoiceField(
        required=False,
        # Tokens issued to OAuth clients come and go hourly; their events carry the client's name.
        queryset=AccessToken.objects.filter(oauth_credential__isnull=True).order_by("name", "id"),
        empty_label="Any token",
    )
    oauth_client = forms.ModelChoiceField(
        required=False,
        queryset=OAuthClient.objects.order_by("name", "id"),
        empty_label="Any OAuth client",
        label="OAuth client",
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    user_name = forms.CharField(required=False, max_length=255, label="User name")
    client_ip = forms.GenericIPAddressField(required=False, label="Client IP")

    def selector_filters(self) -> dict[str, Any]:
        """Return event_list() keyword arguments for the valid fields (invalid ones are ignored)."""
        self.is_valid()  # cleaned_data keeps only the fields that validated
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        token, oauth_client = data.get("token"), data.get("oauth_client")
        return {
            "status": data.get("status") or None,
            "operation": data.get("operation") or None,
            "token_id": token.pk if token else None,
            "oauth_client_id": oauth_client.pk if oauth_client else None,
            "since": _day_start(since) if since else None,
            # "To" includes the whole day.
            "until": _day_start(until + dt.timedelta(days=1)) if until else None,
            "user_name": data.get("user_name") or None,
            "client_ip": data.get("client_ip") or None,
        }


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def parse_cursor(raw: str | None) -> tuple[dt.datetime, int] | None:
    """Return the (occurred_at, id) a page starts after, or None for the newest page."""
    match = CURSOR.match(raw or "")
    if not match:
        return None
    try:
        return dt.datetime.fromisoformat(match[1]), int(match[2])
    except ValueError:
        return None


def format_cursor(cursor: tuple[dt.datetime, int] | None) -> str:
    return f"{cursor[0].isoformat()}_{cursor[1]}" if cursor else ""


class ProvisioningSettingsForm(forms.ModelForm):
    class Meta:
        model = ProvisioningSettings
        fields = ("phone_default_region",)
