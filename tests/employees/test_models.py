import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from employees.models import Employee
from employees.selectors import employee_by_user_name
from employees.services import Actor, employee_create, employee_delete, employee_update
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _create(user_name: str, **extra) -> Employee:
    return employee_create(
        actor=Actor.system(),
        user_name=user_name,
        given_name="Alice",
        family_name="Andersson",
        work_email="alice@contoso.com",
        **extra,
    )


def test_user_name_is_unique_regardless_of_letter_case():
    _create("Alice@contoso.com")
    with pytest.raises(ValidationError) as excinfo:
        _create("alice@CONTOSO.com")
    assert excinfo.value.message_dict == {
        "user_name": ["An employee with this user name already exists."]
    }
    assert Employee.objects.count() == 1


def test_database_refuses_case_variant_user_name_even_without_validation():
    EmployeeFactory(user_name="Alice@contoso.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips full_clean(): only the database constraint stands in the way.
        Employee.objects.bulk_create(
            [
                Employee(
                    user_name="ALICE@contoso.com",
                    given_name="A",
                    family_name="B",
                    work_email="a@b.se",
                )
            ]
        )
    assert Employee.objects.filter(user_name__iexact="alice@contoso.com").count() == 1


def test_soft_deleted_employee_frees_the_user_name():
    first = _create("alice@contoso.com")
    employee_delete(employee=first, actor=Actor.system())
    second = _create("Alice@Contoso.com")
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.deleted_at is not None
    assert Employee.objects.filter(user_name__iexact="alice@contoso.com").count() == 2


def test_employee_number_unique_when_set_but_blank_is_allowed_many_times():
    _create("a@contoso.com", employee_number="E1")
    _create("b@contoso.com")
    _create("c@contoso.com")
    with pytest.raises(ValidationError) as excinfo:
        _create("d@contoso.com", employee_number="E1")
    assert excinfo.value.message_dict == {
        "employee_number": ["An employee with this employee number already exists."]
    }


def test_end_date_before_start_date_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        _create(
            "a@contoso.com",
            start_date=timezone.now().date(),
            end_date=timezone.now().date().replace(year=2000),
        )
    assert excinfo.value.message_dict == {
        "end_date": ["The end date cannot be before the start date."]
    }


def test_renaming_to_a_taken_user_name_is_refused_beside_the_field():
    _create("alice@contoso.com")
    bob = _create("bob@contoso.com")
    with pytest.raises(ValidationError) as excinfo:
        employee_update(employee=bob, actor=Actor.system(), data={"user_name": "ALICE@contoso.com"})
    assert excinfo.value.message_dict == {
        "user_name": ["An employee with this user name already exists."]
    }
    bob.refresh_from_db()
    assert bob.user_name == "bob@contoso.com"


def test_an_employee_may_change_the_letter_case_of_their_own_user_name():
    alice = _create("alice@contoso.com")
    updated = employee_update(
        employee=alice, actor=Actor.system(), data={"user_name": "Alice@Contoso.com"}
    )
    assert updated.user_name == "Alice@Contoso.com"


def test_every_invalid_field_is_reported_at_once():
    _create("alice@contoso.com", employee_number="E1")
    with pytest.raises(ValidationError) as excinfo:
        _create(
            "Alice@contoso.com",
            employee_number="E1",
            work_phone="not a phone",
            start_date=timezone.now().date(),
            end_date=timezone.now().date().replace(year=2000),
        )
    assert set(excinfo.value.message_dict) == {
        "user_name",
        "employee_number",
        "work_phone",
        "end_date",
    }
    assert Employee.objects.count() == 1


def test_an_employee_is_found_by_user_name_in_any_letter_case_unless_deleted():
    alice = _create("Alice@Contoso.com")
    assert employee_by_user_name("ALICE@contoso.COM") == alice
    employee_delete(employee=alice, actor=Actor.system())
    assert employee_by_user_name("alice@contoso.com") is None
