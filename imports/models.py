"""An import of employees from a spreadsheet: the file, how its columns map, and each row's
outcome in the preview and after applying it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Choose the columns"
    CHECKING = "checking", "Checking the file"
    PREVIEW = "preview", "Ready to import"
    APPLYING = "applying", "Importing"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Could not be read"


class EmployeeImport(models.Model):
    """One uploaded file and what it does, from the preview to the applied result."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)
    # The file itself, read again row by row by the preview and by the apply task.
    content = models.BinaryField()
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(
        default=dict, help_text='{"<header position>": "<column key>"}; unmapped ones are ignored.'
    )
    override_entra = models.BooleanField(
        "Also change fields Entra ID manages",
        default=False,
        help_text=(
            "For employees provisioned by Entra ID: without this, their name, email, phone, "
            "department and the other fields Entra sends are left as Entra set them."
        ),
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    problem = models.TextField(blank=True, help_text="Why the file could not be read.")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    update_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    applied_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)

    @property
    def progress_total(self) -> int:
        if self.status == ImportStatus.APPLYING:
            return self.new_count + self.update_count
        return self.total_rows

    @property
    def progress_percent(self) -> int:
        total = self.progress_total
        return min(100, round(100 * self.processed_rows / total)) if total else 0


class RowOutcome(models.TextChoices):
    NEW = "new", "New"
    UPDATE = "update", "Update"
    UNCHANGED = "unchanged", "Unchanged"
    ERROR = "error", "Error"


class RowResult(models.TextChoices):
    PENDING = "", "Not imported yet"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Not imported"


class ImportRow(models.Model):
    """One row of the file as the preview classified it, with the values to write."""

    employee_import = models.ForeignKey(
        EmployeeImport, on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField()
    user_name = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=10, choices=RowOutcome.choices)
    # The row's values as the employee services take them (manager by user name, dates ISO).
    values = models.JSONField(default=dict)
    # {field: [old, new]} for an update, as shown in the preview.
    changes = models.JSONField(default=dict)
    # [{"column": header, "message": text}]
    errors = models.JSONField(default=list)
    # Fields left alone because Entra ID manages the employee (no override).
    kept_for_entra = models.JSONField(default=list)
    # Managers come before their reports when applying: 0 for a row whose manager is not
    # in the file, else one more than its manager's row.
    depth = models.PositiveIntegerField(default=0)
    result = models.CharField(max_length=10, choices=RowResult.choices, blank=True, default="")

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_import", "row_number"], name="import_row_number_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["employee_import", "outcome", "row_number"], name="import_row_outcome"
            ),
            models.Index(
                fields=["employee_import", "depth", "row_number"], name="import_row_apply_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number}"
