"""Settings of the roles people hold: which Microsoft Entra ID app roles make an HR admin."""

from django.conf import settings
from django.db import models


class EntraRoleMapping(models.Model):
    """One row: whether SCIM may grant HR admin from Entra app roles, and which role values do.

    Off by default. The Owner role is never granted or removed this way.
    """

    SINGLETON_ID = 1

    enabled = models.BooleanField(
        default=False,
        help_text="Entra ID's roles attribute grants and removes the HR admin role.",
    )
    hr_admin_values = models.JSONField(
        default=list,
        blank=True,
        help_text="App role values (as Entra sends them) that make an employee an HR admin.",
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
        verbose_name = "Entra ID role mapping"

    def __str__(self) -> str:
        return "Roles from Entra ID " + ("on" if self.enabled else "off")

    def grants_hr_admin(self, values: list[str]) -> bool:
        """Whether any of these Entra role values is mapped to HR admin (any letter case)."""
        mapped = {value.lower() for value in self.hr_admin_values}
        return self.enabled and any(value.lower() in mapped for value in values)
