"""OAuth clients: who may exchange a client secret or a signed assertion for an access token.

A client carries scopes and is bound to the owner who created it, like an access token.
Its credentials are client secrets (stored as keyed digests, like access tokens) and
federated credentials (an external issuer's signed JWTs, RFC 7523). The access tokens it
is issued are ordinary access_tokens.AccessToken rows pointing back at the credential.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from access_tokens.models import scope_labels


class OAuthClient(models.Model):
    """A named client of the token endpoint (POST /oauth2/token)."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    client_id = models.CharField(max_length=40, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oauth_clients"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "OAuth client"

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def get_scopes_display(self) -> list[str]:
        return scope_labels(self.scopes)


class ClientCredential(models.Model):
    """One way for a client to prove who it is: a client secret or a federated credential."""

    class Kind(models.TextChoices):
        SECRET = "secret", "Client secret"
        FEDERATED = "federated", "Federated credential"

    client = models.ForeignKey(OAuthClient, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A client secret: public lookup prefix, keyed digest, last four characters.
    prefix = models.CharField(max_length=20, null=True, blank=True, unique=True)
    digest = models.CharField(max_length=64, blank=True)
    last_four = models.CharField(max_length=4, blank=True)
    # A federated credential: whose signed tokens are accepted, and where their keys are.
    name = models.CharField(max_length=100, blank=True)
    issuer = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    audience = models.CharField(max_length=500, blank=True)
    jwks_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="OpenID configuration or JWKS URL; empty: the issuer's OpenID configuration.",
    )
    jwks = models.JSONField(null=True, blank=True, help_text="Uploaded public keys (JWKS).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="federated")
                | (Q(prefix__isnull=False) & Q(expires_at__isnull=False)),
                name="oauth_secret_has_prefix_and_expiry",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "subject"], name="oauth_federated_iss_sub")]

    def __str__(self) -> str:
        if self.kind == self.Kind.SECRET:
            return f"Client secret {self.masked}"
        return f"Federated credential {self.name or self.subject}"

    @property
    def masked(self) -> str:
        return f"{self.prefix}…{self.last_four}" if self.prefix else ""

    @property
    def is_secret(self) -> bool:
        return self.kind == self.Kind.SECRET


class UsedAssertion(models.Model):
    """A federated assertion's jti, kept until the assertion expires, so it cannot be replayed."""

    credential = models.ForeignKey(ClientCredential, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential", "jti"], name="oauth_assertion_jti_once")
        ]

    def __str__(self) -> str:
        return self.jti


class OAuthClientEvent(models.Model):
    """Audit trail: who created or revoked which client or credential, when, from which IP."""

    class Action(models.TextChoices):
        CREATED = "created", "Client created"
        REVOKED = "revoked", "Client revoked"
        SECRET_ADDED = "secret_added", "Secret added"
        SECRET_REVOKED = "secret_revoked", "Secret revoked"
        FEDERATION_ADDED = "federation_added", "Federated credential added"
        FEDERATION_REVOKED = "federation_revoked", "Federated credential removed"

    client = models.ForeignKey(OAuthClient, on_delete=models.CASCADE, related_name="events")
    credential = models.ForeignKey(
        ClientCredential, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.client_id}"
