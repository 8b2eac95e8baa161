"""Fixtures for the HR web app tests: a small organization and bulk-created directories."""

import pytest

from employees.models import Employee
from tests.factories import EmployeeFactory


def bulk_employees(count: int, *, prefix: str = "bulk", **fields) -> list[Employee]:
    """Insert `count` employees in one statement (the query-count tests need 1,000 rows)."""
    employees = [
        EmployeeFactory.build(
            user_name=f"{prefix}{i}@contoso.com",
            work_email=f"{prefix}{i}@contoso.com",
            employee_number=f"{prefix.upper()}{i:06d}",
            **fields,
        )
        for i in range(count)
    ]
    return Employee.objects.bulk_create(employees, batch_size=500)


@pytest.fixture
def org():
    """A three-level organization: a CEO, a VP reporting to the CEO, an engineer to the VP."""
    ceo = EmployeeFactory(
        given_name="Åsa", family_name="Öberg", title="Chief Executive", department="Board"
    )
    vp = EmployeeFactory(
        given_name="José", family_name="Núñez", title="VP Engineering", manager=ceo
    )
    engineer = EmployeeFactory(
        given_name="Zoë",
        family_name="Brontë",
        title="Engineer",
        manager=vp,
        work_phone="+16175551212",
    )
    return {"ceo": ceo, "vp": vp, "engineer": engineer}
