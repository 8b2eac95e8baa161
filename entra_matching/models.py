"""A list of Microsoft Entra ID users an owner uploaded, to see before provisioning starts how
Entra's users will meet the employees already in Alexis."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class EntraUserList(models.Model):
    """Entra's users as uploaded ("Download users" CSV) or pasted (user principal names)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=255, help_text="The file's name, or “Pasted list”.")
    # [{"upn", "mail", "employee_id", "display_name", "enabled", "object_id"}], in file order.
    users = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "Entra user list"

    def __str__(self) -> str:
        return self.source
