from http import HTTPStatus
from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from accounts.roles import OWNER, is_owner
from employees.models import Employee
from employees.selectors import employee_manager_chain_ids

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_creates_the_requested_count_with_a_consistent_manager_tree():
    output = _seed("--employees", "300")
    assert "Created 300 employees" in output
    employees = list(Employee.objects.all())
    assert len(employees) == 300
    tops = [e for e in employees if e.manager_id is None]
    assert len(tops) == 1
    ids = {e.pk for e in employees}
    assert all(e.manager_id in ids for e in employees if e.manager_id)
    # Every chain reaches the single top without a cycle.
    for employee in employees[::37]:
        chain = employee_manager_chain_ids(employee.pk)
        assert chain[-1] == tops[0].pk
        assert len(chain) == len(set(chain))


def test_seeded_records_are_valid_employees():
    _seed("--employees", "120")
    for employee in Employee.objects.all():
        employee.full_clean()
        number = phonenumbers.parse(employee.work_phone, None)
        assert phonenumbers.is_valid_number(number), employee.work_phone
    assert Employee.objects.values("department").distinct().count() > 5


def test_user_names_are_unique_and_non_ascii_names_are_kept():
    _seed("--employees", "500")
    user_names = list(Employee.objects.values_list("user_name", flat=True))
    assert len({u.lower() for u in user_names}) == 500
    assert all(u.isascii() for u in user_names)
    assert Employee.objects.exclude(family_name__regex=r"^[A-Za-z' ]+$").exists()


def test_creates_an_owner_once_and_prints_how_to_sign_in():
    first = _seed("--employees", "5")
    assert "user name 'owner'" in first
    owner = get_user_model().objects.get(username="owner")
    assert is_owner(owner)
    second = _seed("--employees", "0", "--if-empty")
    assert "Owner account exists" in second
    assert get_user_model().objects.filter(groups__name=OWNER).count() == 1


def test_if_empty_leaves_existing_data_alone():
    _seed("--employees", "10")
    output = _seed("--employees", "50", "--if-empty")
    assert "no demo data added" in output
    assert Employee.objects.count() == 10


def test_demo_owner_is_staff_and_an_employee_and_the_link_uses_the_served_port():
    output = _seed("--employees", "300", "--site-url", "http://127.0.0.1:8100/")
    assert "Sign in at http://127.0.0.1:8100/accounts/sign-in/" in output
    assert "the Django admin at http://127.0.0.1:8100/admin/" in output
    assert "8000" not in output
    owner = get_user_model().objects.get(username="owner")
    assert owner.is_staff
    employee = Employee.objects.get(user=owner)
    assert (employee.department, employee.active) == ("People", True)
    assert owner.get_full_name() == employee.full_name
    hr_user = get_user_model().objects.get(username="hr")
    assert Employee.objects.get(user=hr_user).pk != employee.pk
    client = Client()
    client.force_login(owner)
    assert client.get("/admin/employees/employee/").status_code == HTTPStatus.OK
