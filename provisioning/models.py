"""The provisioning log: one event for every request to the SCIM endpoint."""

from urllib.parse import unquote_plus

from django.db import models
from django.db.models.functions import Lower

from audit.models import ChangeRecord
from ui.changes import change_rows


class Operation(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    DELETED = "deleted", "Deleted"
    QUERIED = "queried", "Queried"
    REFUSED = "refused", "Refused"


def not_kept_warning(attribute: str) -> str:
    """Say that the client sent an attribute Alexis does not keep, and what to do about it."""
    return (
        f"Entra sent {attribute}, which Alexis does not keep: map it to a custom field or "
        "remove the mapping."
    )


class ProvisioningEvent(models.Model):
    """What arrived at /scim/v2, what Alexis did with it, and what it refused.

    Request bodies are not stored; the Authorization header and passwords never are.
    """

    occurred_at = models.DateTimeField(db_index=True)
    token = models.ForeignKey(
        "access_tokens.AccessToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provisioning_events",
    )
    token_name = models.CharField(max_length=100, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    query = models.CharField(max_length=1000, blank=True)
    resource_type = models.CharField(max_length=40, blank=True)
    resource_id = models.CharField(max_length=64, blank=True)
    employee = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provisioning_events",
    )
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provisioning_events",
    )
    user_name = models.CharField(
        max_length=255, blank=True, help_text="User name (or team name) at the time, for search."
    )
    operation = models.CharField(max_length=20, choices=Operation.choices)
    changes = models.JSONField(default=dict, blank=True, help_text='{"attribute": [old, new]}')
    # SCIM attributes sent with a value that Alexis does not keep (accepted and ignored).
    not_kept = models.JSONField(default=list, blank=True)
    status = models.PositiveSmallIntegerField()
    scim_type = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=1000, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # Every SCIM request inserts a row, so each index costs on every request: only the
        # searches for one needle get one. Status, operation and token filters read the
        # occurred_at (or token foreign key) index and filter the rows.
        indexes = [
            # The log is searched by user name whatever its case ("Alice@Contoso.com").
            models.Index(
                Lower("user_name"), models.F("occurred_at").desc(), name="prov_event_user_name_ci"
            ),
            models.Index(fields=["client_ip", "-occurred_at"], name="prov_event_client_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"

    @property
    def failed(self) -> bool:
        return self.status >= 400

    @property
    def query_display(self) -> str:
        """Return the query string decoded for reading (filter=userName eq "alice@...")."""
        return unquote_plus(self.query)

    @property
    def warnings(self) -> list[str]:
        """Return what an owner should know about attributes the client sent and Alexis dropped."""
        return [not_kept_warning(name) for name in self.not_kept or []]

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """Return the changes as (label, old, new) rows in words people read."""
        return change_rows(self.changes)

    @property
    def token_label(self) -> str:
        """Name the token: "revoked token «name»" when a real but unusable one was refused."""
        if not self.token_name:
            return "no token"
        if self.status != 401:
            return self.token_name
        token = self.token
        if token is not None and token.revoked_at and token.revoked_at <= self.occurred_at:
            state = "revoked"
        elif token is not None and token.expires_at and token.expires_at <= self.occurred_at:
            state = "expired"
        else:
            state = "refused"
        return f"{state} token «{self.token_name}»"


def phone_region_choices() -> list[tuple[str, str]]:
    """Every region phonenumbers knows, as (ISO 3166 code, "Code (+calling code)")."""
    import phonenumbers

    return [("", "None: refuse numbers without a country code")] + [
        (region, f"{region} (+{phonenumbers.country_code_for_region(region)})")
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
    ]


class ProvisioningSettings(models.Model):
    """Owner settings for what SCIM provisioning accepts (one row)."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    phone_default_region = models.CharField(
        "Country of phone numbers without a country code",
        max_length=2,
        blank=True,
        choices=phone_region_choices,
        help_text=(
            "A phone number Entra sends without a country code (617 555 1212) is read as a "
            "number of this country. None: such a number is refused and Entra reports the error."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "provisioning settings"
        verbose_name_plural = "provisioning settings"

    def __str__(self) -> str:
        return "Provisioning settings"


class ProvisioningSettingsChange(ChangeRecord):
    subject_field = "settings"

    settings = models.ForeignKey(
        ProvisioningSettings, on_delete=models.CASCADE, related_name="changes"
    )

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["settings", "-changed_at"], name="provisioning_settings_recent")
        ]
