"""The organisation's structure: departments (a tree), locations and legal entities.

Each kind is a managed record with a change history, old names kept as aliases after a merge,
and a flag for records that SCIM provisioning created from a name HR had not set up yet.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from audit.models import Audited, ChangeRecord


class OrgRecord(Audited, models.Model):
    """What departments, locations and legal entities share: a unique name, archive, merge."""

    kind_label: ClassVar[str] = ""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name", max_length=255)
    created_by_provisioning = models.BooleanField(
        "created by provisioning",
        default=False,
        help_text="Created from a name Entra sent that matched no record: review and merge.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="merged into",
    )
    archived_at = models.DateTimeField("archived", null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Department(OrgRecord):
    """A department; departments form a tree through `parent`."""

    kind_label = "department"

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="parent department",
    )
    head = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_headed",
        verbose_name="head of department",
    )
    cost_center = models.CharField(
        "default cost center",
        max_length=255,
        blank=True,
        help_text="Suggested for employees of this department who have no cost center.",
    )

    class Meta(OrgRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(merged_into__isnull=True),
                name="department_name_ci_unique",
                violation_error_message="A department with this name already exists.",
            )
        ]


class Location(OrgRecord):
    """A place people work from."""

    kind_label = "location"

    address = models.TextField("address", blank=True)
    country = models.CharField(
        "country", max_length=2, blank=True, help_text="Two-letter ISO 3166 code, e.g. SE."
    )
    time_zone = models.CharField(
        "time zone", max_length=64, blank=True, help_text="e.g. Europe/Stockholm."
    )

    class Meta(OrgRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(merged_into__isnull=True),
                name="location_name_ci_unique",
                violation_error_message="A location with this name already exists.",
            )
        ]


class LegalEntity(OrgRecord):
    """A company employees are employed by (SCIM's enterprise `organization`)."""

    kind_label = "legal entity"

    registration_number = models.CharField("registration number", max_length=64, blank=True)
    country = models.CharField(
        "country", max_length=2, blank=True, help_text="Two-letter ISO 3166 code, e.g. SE."
    )

    class Meta(OrgRecord.Meta):
        verbose_name = "legal entity"
        verbose_name_plural = "legal entities"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(merged_into__isnull=True),
                name="legal_entity_name_ci_unique",
                violation_error_message="A legal entity with this name already exists.",
            )
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Alias(models.Model):
    """An old name that still resolves to its record (kept when two records are merged)."""

    name = models.CharField("old name", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DepartmentAlias(Alias):
    record = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="department_alias_ci_unique")]


class LocationAlias(Alias):
    record = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="location_alias_ci_unique")]


class LegalEntityAlias(Alias):
    record = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="legal_entity_alias_ci_unique")]


class DepartmentChange(ChangeRecord):
    subject_field = "department"
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["department", "-changed_at"], name="department_change_recent")
        ]


class LocationChange(ChangeRecord):
    subject_field = "location"
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [models.Index(fields=["location", "-changed_at"], name="location_change_recent")]


class LegalEntityChange(ChangeRecord):
    subject_field = "legal_entity"
    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["legal_entity", "-changed_at"], name="legal_entity_change_recent")
        ]


class OrganisationSettings(models.Model):
    """Owner settings for the organisation structure (one row)."""

    provisioning_creates_records = models.BooleanField(
        "Provisioning may create departments, locations and legal entities",
        default=True,
        help_text=(
            "When Entra sends a name that matches no record, create it (marked for review). "
            "Off: such a name is refused and Entra reports the error."
        ),
    )

    class Meta:
        verbose_name = "organisation settings"
        verbose_name_plural = "organisation settings"

    def __str__(self) -> str:
        return "Organisation settings"
