"""Single sign-on with a SAML 2.0 identity provider (Microsoft Entra ID)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SsoConfiguration(models.Model):
    """The one identity provider this deployment trusts, and whether sign-in goes through it."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    enabled = models.BooleanField(
        default=False, help_text="Employees may sign in with their Microsoft account."
    )
    require_sso = models.BooleanField(
        default=False,
        help_text="Everyone but owners must sign in with Microsoft; password sign-in is refused.",
    )
    idp_entity_id = models.CharField(
        "identity provider entity ID",
        max_length=1024,
        blank=True,
        help_text="Entra's Microsoft Entra Identifier, e.g. https://sts.windows.net/<tenant>/.",
    )
    idp_login_url = models.URLField(
        "identity provider login URL",
        max_length=2048,
        blank=True,
        help_text="Entra's Login URL, e.g. https://login.microsoftonline.com/<tenant>/saml2.",
    )
    idp_certificate = models.TextField(
        "identity provider signing certificate",
        blank=True,
        help_text="The SAML signing certificate (Base64/PEM).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "single sign-on configuration"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="sso_configuration_singleton"),
            models.CheckConstraint(
                condition=Q(require_sso=False) | Q(enabled=True),
                name="sso_require_needs_enabled",
            ),
        ]

    def __str__(self) -> str:
        return "Single sign-on configuration"

    @property
    def is_complete(self) -> bool:
        return bool(self.idp_entity_id and self.idp_login_url and self.idp_certificate)

    @property
    def is_active(self) -> bool:
        return self.enabled and self.is_complete


class UsedAssertion(models.Model):
    """An assertion already used to sign in, kept until it expires so it cannot be replayed."""

    assertion_id = models.CharField(max_length=255, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.assertion_id


class RefusalReason(models.TextChoices):
    NOT_ENABLED = "not_enabled", "Single sign-on is off"
    INVALID_RESPONSE = "invalid_response", "Invalid SAML response"
    REPLAYED = "replayed", "Assertion already used"
    UNKNOWN_EMPLOYEE = "unknown_employee", "No matching employee"
    AMBIGUOUS_EMPLOYEE = "ambiguous_employee", "Several employees match"
    INACTIVE_EMPLOYEE = "inactive_employee", "Employee is inactive"
    DELETED_EMPLOYEE = "deleted_employee", "Employee is deleted"
    ACCOUNT_DISABLED = "account_disabled", "Sign-in account is disabled"
    ACCOUNT_CONFLICT = "account_conflict", "Sign-in account belongs to someone else"
    ACCOUNT_NOT_LINKED = "account_not_linked", "Existing sign-in account not linked"
    OWNER_ACCOUNT = "owner_account", "Owner account (owners sign in with a password)"


class SignInRefusal(models.Model):
    """A refused single sign-on attempt: who it claimed to be and why it was refused."""

    refused_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=32, choices=RefusalReason.choices)
    detail = models.CharField(
        max_length=500, blank=True, help_text="Why the response was invalid, if it was."
    )
    name_id = models.CharField("NameID", max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    employee = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        ordering = ["-refused_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} at {self.refused_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A session a user signed in with, so that ending their access can end it at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Session of user {self.user_id}"


class SuspendedAccount(models.Model):
    """A sign-in account disabled because its employee was deactivated or deleted.

    Reactivating the employee enables only accounts listed here: one that was already
    disabled (on purpose, by an owner) stays disabled.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    suspended_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Account {self.user_id} suspended with its employee"
