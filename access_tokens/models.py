"""Access tokens: named, scoped API secrets, stored as keyed digests."""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    SCIM = "scim", "Provisioning API (SCIM)"
    API_READ = "api:read", "Public API read"
    API_WRITE = "api:write", "Public API write"


class AccessToken(models.Model):
    """A bearer secret for the SCIM endpoint or the public API. The plaintext is never kept."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    scopes = models.JSONField(default=list)
    prefix = models.CharField(
        max_length=20,
        unique=True,
        help_text="Public part of the token used to look it up, e.g. alx_Ab12Cd34Ef.",
    )
    digest = models.CharField(max_length=64, help_text="HMAC-SHA256 of the whole token.")
    last_four = models.CharField(max_length=4)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_tokens"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    # Set on a token the token endpoint issued (POST /oauth2/token): the client credential it
    # was issued for. Revoking the credential or its client revokes the token with it.
    oauth_credential = models.ForeignKey(
        "oauth_clients.ClientCredential",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="issued_tokens",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked})"

    @property
    def masked(self) -> str:
        return f"{self.prefix}…{self.last_four}"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def get_scopes_display(self) -> list[str]:
        return scope_labels(self.scopes)


def scope_labels(scopes: list[str]) -> list[str]:
    """Return the scopes' labels in the order the forms offer them."""
    return [label for value, label in Scope.choices if value in scopes]


class AccessTokenEvent(models.Model):
    """Audit trail: who created or revoked which token, when, from which IP."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        REVOKED = "revoked", "Revoked"

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.token_id}"
