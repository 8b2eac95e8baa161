"""The change history shared by every audited record: who changed what, when and how.

An audited app keeps its own table (`EmployeeChange`, `TeamChange`) built on `ChangeRecord`,
so that each history is indexed by its own record; the recording, the diff and the display
live here once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    WEB = "web", "HR web app"
    ADMIN = "admin", "Django admin"
    SCIM = "scim", "SCIM"
    API = "api", "API"
    SYSTEM = "system", "System"
    IMPORT = "import", "Import"


class ChangeAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    DELETED = "deleted", "Deleted"


class ChangeRecord(models.Model):
    """One entry of a record's change history. Subclasses add the foreign key named
    `subject_field` to the audited record and an index on (subject, -changed_at)."""

    subject_field: ClassVar[str] = ""

    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_token = models.ForeignKey(
        "access_tokens.AccessToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The access token that made the change (SCIM and API).",
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'Changed fields as {"field": [old, new]}; a change to many related records as '
            '{"field": {"count": n, "user_names": [...]}}.'
        ),
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_action_display()} {self.subject_field} "
            f"{getattr(self, f'{self.subject_field}_id', '')} via {self.get_channel_display()}"
        )

    @property
    def subject(self) -> Any:
        """The audited record this entry belongs to."""
        return getattr(self, self.subject_field)

    @property
    def subject_id(self) -> Any:
        return getattr(self, f"{self.subject_field}_id")


class Audited:
    """Mixin for an audited model: a write service leaves the entry it recorded on the
    instance it returns, so that callers read what changed instead of recomputing it."""

    # The history entry of the service call that returned this instance; None if nothing changed.
    recorded_change: ChangeRecord | None = None

    @property
    def recorded_changes(self) -> dict[str, Any]:
        """What the last service call changed, as recorded: {"field": [old, new]}."""
        return self.recorded_change.changes if self.recorded_change is not None else {}
