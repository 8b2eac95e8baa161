"""Who sees a custom field: HR only, HR and the employee (their own record), or everyone."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(badge_color, salary_band, first_aider):
    return EmployeeFactory(
        given_name="Ada",
        family_name="Lovelace",
        title="Analyst",
        custom_fields={"badgeColor": "Green", "salaryBand": 5, "firstAider": True},
    )


def _details(page: str) -> str:
    return page[page.index('id="details-heading"') :]


def test_everyone_sees_a_colleagues_everyone_fields_only(employee_client, colleague):
    response = employee_client.get(f"/people/{colleague.public_id}/")

    assert response.status_code == HTTPStatus.OK
    details = _details(response.content.decode())
    assert "<dt>First aider</dt><dd>Yes</dd>" in details
    assert "Badge colour" not in details  # HR and that employee
    assert "Salary band" not in details  # HR only
    assert "Green" not in details


def test_an_employee_sees_their_own_employee_and_everyone_fields(
    employee_user, employee_client, colleague
):
    Employee.objects.filter(user=employee_user).update(
        custom_fields={"badgeColor": "Red", "salaryBand": 2, "firstAider": False}
    )

    details = _details(employee_client.get("/me/").content.decode())

    assert "<dt>Badge colour</dt><dd>Red</dd>" in details
    assert "<dt>First aider</dt><dd>No</dd>" in details
    assert "Salary band" not in details


def test_colleagues_are_linked_from_an_employees_profile(employee_user, employee_client, colleague):
    Employee.objects.filter(user=employee_user).update(manager=colleague)

    page = employee_client.get("/me/").content.decode()

    assert f'href="/people/{colleague.public_id}/"' in page


def test_hr_open_the_full_profile(hr_admin_client, colleague):
    response = hr_admin_client.get(f"/people/{colleague.public_id}/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/employees/{colleague.public_id}/"


def test_signed_in_people_without_an_employee_record_may_not_look(client, colleague):
    client.force_login(UserFactory(username="contractor@contoso.com"))

    assert client.get(f"/people/{colleague.public_id}/").status_code == HTTPStatus.FORBIDDEN


def test_signed_out_visitors_sign_in_first(client, colleague):
    response = client.get(f"/people/{colleague.public_id}/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/sign-in/?next=")


def test_a_deleted_colleague_is_not_found(employee_client, colleague):
    Employee.objects.filter(pk=colleague.pk).update(deleted_at="2026-01-01T00:00:00Z")

    assert employee_client.get(f"/people/{colleague.public_id}/").status_code == 404
