"""Custom field definitions and the values the employee services keep."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from custom_fields.models import CustomField, FieldType
from custom_fields.services import (
    custom_field_create,
    custom_field_delete,
    custom_field_update,
    label_from_name,
    name_from_label,
)
from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from employees.services import Actor, employee_create, employee_update
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

SYSTEM = Actor(channel=Channel.SYSTEM)


def test_names_and_labels_are_derived_from_each_other():
    assert name_from_label("Badge colour") == "badgeColour"
    assert name_from_label("T-shirt size (EU)") == "tShirtSizeEu"
    assert label_from_name("badgeColor") == "Badge color"


def test_create_keeps_a_choice_field_with_trimmed_choices():
    field = custom_field_create(
        name="shirtSize", field_type=FieldType.CHOICE, choices=[" S", "M ", "", "L"]
    )
    field.refresh_from_db()
    assert (field.label, field.choices, field.required) == ("Shirt size", ["S", "M", "L"], False)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": "badge color"}, "name", "Use letters and digits only"),
        ({"name": "1badge"}, "name", "Use letters and digits only"),
        ({"name": "x", "field_type": FieldType.CHOICE, "choices": []}, "choices", "at least one"),
        (
            {"name": "x", "field_type": FieldType.CHOICE, "choices": ["A", "a"]},
            "choices",
            "listed twice",
        ),
        ({"name": "x", "field_type": "colour"}, "field_type", "not a valid choice"),
        ({"name": "x", "visibility": "boss"}, "visibility", "not a valid choice"),
    ],
)
def test_create_refuses_bad_definitions(kwargs, field, message):
    with pytest.raises(ValidationError) as caught:
        custom_field_create(**kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    assert not CustomField.objects.exists()


def test_names_and_labels_are_unique_regardless_of_case(badge_color):
    with pytest.raises(ValidationError) as caught:
        custom_field_create(name="BADGECOLOR", label="badge COLOUR")
    assert set(caught.value.message_dict) == {"name", "label"}


def test_update_keeps_name_and_type(badge_color):
    custom_field_update(
        field=badge_color,
        label="Badge",
        choices=["Red", "Yellow"],
        required=True,
        visibility="everyone",
    )
    badge_color.refresh_from_db()
    assert badge_color.name == "badgeColor"
    assert badge_color.field_type == FieldType.CHOICE
    assert (badge_color.label, badge_color.choices, badge_color.required) == (
        "Badge",
        ["Red", "Yellow"],
        True,
    )


def test_values_are_parsed_stored_as_json_and_recorded_in_history(
    badge_color, salary_band, first_aider, badge_expiry
):
    employee = EmployeeFactory()
    employee_update(
        employee=employee,
        actor=SYSTEM,
        data={
            "custom_fields": {
                "badgecolor": "green",
                "salaryBand": "7",
                "firstAider": "yes",
                "badgeExpiry": dt.date(2027, 5, 1),
            }
        },
    )
    employee.refresh_from_db()
    assert employee.custom_fields == {
        "badgeColor": "Green",
        "salaryBand": 7,
        "firstAider": True,
        "badgeExpiry": "2027-05-01",
    }
    change = employee.changes.get()
    assert change.changes == {
        "custom_fields.badgeColor": [None, "Green"],
        "custom_fields.salaryBand": [None, 7],
        "custom_fields.firstAider": [None, True],
        "custom_fields.badgeExpiry": [None, "2027-05-01"],
    }


def test_an_empty_value_clears_only_that_field(badge_color, salary_band):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 3})
    employee_update(employee=employee, actor=SYSTEM, data={"custom_fields.badgeColor": ""})
    employee.refresh_from_db()
    assert employee.custom_fields == {"salaryBand": 3}
    assert employee.changes.get().changes == {"custom_fields.badgeColor": ["Red", None]}


def test_an_unchanged_value_records_nothing(badge_color):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Red"})
    version = employee.version
    employee_update(employee=employee, actor=SYSTEM, data={"custom_fields": {"badgeColor": "red"}})
    employee.refresh_from_db()
    assert employee.version == version
    assert not employee.changes.exists()


def test_bad_values_are_refused_by_field_and_nothing_is_saved(badge_color, salary_band):
    employee = EmployeeFactory(title="Engineer")
    with pytest.raises(ValidationError) as caught:
        employee_update(
            employee=employee,
            actor=SYSTEM,
            data={
                "title": "Boss",
                "custom_fields": {"badgeColor": "Purple", "salaryBand": "a lot", "nope": 1},
            },
        )
    assert caught.value.message_dict == {
        "custom_fields.badgeColor": ["Choose one of: Red, Green, Blue."],
        "custom_fields.salaryBand": ["Enter a number."],
        "custom_fields.nope": ["There is no custom field with this name."],
    }
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == ("Engineer", {})


def test_create_records_custom_values(badge_color):
    employee = employee_create(
        actor=SYSTEM,
        user_name="new@contoso.com",
        given_name="New",
        family_name="Person",
        work_email="new@contoso.com",
        custom_fields={"badgeColor": "Blue"},
    )
    assert Employee.objects.get(pk=employee.pk).custom_fields == {"badgeColor": "Blue"}
    change = EmployeeChange.objects.get(employee=employee)
    assert change.action == ChangeAction.CREATED
    assert change.changes["custom_fields.badgeColor"] == [None, "Blue"]


def test_a_removed_choice_stays_on_employees_until_changed(badge_color):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Blue"})
    custom_field_update(
        field=badge_color, label="Badge colour", choices=["Red"], required=False, visibility="hr"
    )
    employee_update(employee=employee, actor=SYSTEM, data={"title": "Lead"})
    employee.refresh_from_db()
    assert employee.custom_fields == {"badgeColor": "Blue"}


def test_deleting_a_field_deletes_its_values_only(badge_color, salary_band):
    holder = EmployeeFactory(custom_fields={"badgeColor": "Red", "salaryBand": 2})
    other = EmployeeFactory(custom_fields={"salaryBand": 5})
    version = holder.version
    custom_field_delete(field=badge_color)
    holder.refresh_from_db()
    other.refresh_from_db()
    assert holder.custom_fields == {"salaryBand": 2}
    assert holder.version == version + 1
    assert other.custom_fields == {"salaryBand": 5}
    assert not CustomField.objects.filter(name="badgeColor").exists()


@pytest.mark.parametrize(
    ("field_type", "raw", "stored"),
    [
        (FieldType.NUMBER, "12.50", 12.5),
        (FieldType.NUMBER, 3, 3),
        (FieldType.DATE, "2024-05-01T00:00:00Z", "2024-05-01"),
        (FieldType.BOOLEAN, "False", False),
        (FieldType.TEXT, "  Blue  ", "Blue"),
    ],
)
def test_values_of_each_type(field_type, raw, stored):
    custom_field_create(name="thing", field_type=field_type)
    employee = EmployeeFactory()
    employee_update(employee=employee, actor=SYSTEM, data={"custom_fields": {"thing": raw}})
    employee.refresh_from_db()
    assert employee.custom_fields == {"thing": stored}


@pytest.mark.parametrize(
    ("field_type", "raw", "message"),
    [
        (FieldType.NUMBER, True, "Enter a number."),
        (FieldType.NUMBER, "1e20", "below one quadrillion"),
        (FieldType.DATE, "01/05/2024", "YYYY-MM-DD"),
        (FieldType.BOOLEAN, "maybe", "yes or no"),
        (FieldType.TEXT, "x" * 501, "at most 500"),
        (FieldType.TEXT, 12, "Enter text."),
    ],
)
def test_bad_values_of_each_type(field_type, raw, message):
    custom_field_create(name="thing", field_type=field_type)
    with pytest.raises(ValidationError) as caught:
        employee_update(
            employee=EmployeeFactory(), actor=SYSTEM, data={"custom_fields": {"thing": raw}}
        )
    assert message in caught.value.message_dict["custom_fields.thing"][0]
