"""HR's rules for self-service edits, and the changes waiting for HR's approval."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from self_service.fields import FIELD_CHOICES


class FieldRule(models.Model):
    """Whether an employee's change to one personal detail needs HR's approval.

    A field without a row follows its default in self_service.fields.
    """

    field = models.CharField(max_length=50, unique=True, choices=FIELD_CHOICES)
    needs_approval = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return (
            f"{self.get_field_display()}: {'needs approval' if self.needs_approval else 'at once'}"
        )


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for HR"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ChangeRequest(models.Model):
    """A change an employee asked for to one of their personal details, waiting for HR."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="change_requests"
    )
    field = models.CharField(max_length=50, choices=FIELD_CHOICES)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why HR rejected the change (shown to the employee)."
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            # A newer request for the same detail replaces the one still waiting.
            models.UniqueConstraint(
                fields=["employee", "field"],
                condition=Q(status="pending"),
                name="one_pending_change_per_field",
            )
        ]
        indexes = [
            models.Index(
                fields=["requested_at", "id"],
                condition=Q(status="pending"),
                name="change_request_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} of employee {self.employee_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING
