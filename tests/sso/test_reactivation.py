"""Reactivating an employee undoes only what deactivating them did to their sign-in account."""

import pytest
from django.contrib.auth import get_user_model

from employees.models import Channel, Employee
from employees.services import Actor, employee_deactivate, employee_reactivate
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

SCIM = Actor(channel=Channel.SCIM)


def is_active(user):
    return get_user_model().objects.get(pk=user.pk).is_active


def test_an_account_disabled_on_purpose_stays_disabled_after_reactivation():
    user = UserFactory(username="alice@contoso.com", is_active=False)
    employee = EmployeeFactory(user_name="alice@contoso.com", user=user)

    employee_deactivate(employee=employee, actor=SCIM)
    employee_reactivate(employee=Employee.objects.get(pk=employee.pk), actor=SCIM)

    assert is_active(user) is False


def test_an_account_disabled_by_deactivation_is_enabled_again():
    user = UserFactory(username="alice@contoso.com")
    employee = EmployeeFactory(user_name="alice@contoso.com", user=user)

    employee_deactivate(employee=employee, actor=SCIM)
    assert is_active(user) is False
    employee_reactivate(employee=Employee.objects.get(pk=employee.pk), actor=SCIM)

    assert is_active(user) is True
