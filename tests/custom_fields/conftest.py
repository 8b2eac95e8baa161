"""Custom field definitions used across the custom field tests."""

import pytest

from custom_fields.models import FieldType, Visibility
from custom_fields.services import custom_field_create


@pytest.fixture
def badge_color(db):
    """A one-of-a-list field that HR and the employee see."""
    return custom_field_create(
        name="badgeColor",
        label="Badge colour",
        field_type=FieldType.CHOICE,
        choices=["Red", "Green", "Blue"],
        visibility=Visibility.EMPLOYEE,
    )


@pytest.fixture
def salary_band(db):
    """A number field that HR only sees, required."""
    return custom_field_create(
        name="salaryBand",
        label="Salary band",
        field_type=FieldType.NUMBER,
        required=True,
        visibility=Visibility.HR,
    )


@pytest.fixture
def first_aider(db):
    return custom_field_create(
        name="firstAider",
        label="First aider",
        field_type=FieldType.BOOLEAN,
        visibility=Visibility.EVERYONE,
    )


@pytest.fixture
def badge_expiry(db):
    return custom_field_create(name="badgeExpiry", field_type=FieldType.DATE)
