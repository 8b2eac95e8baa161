"""Custom fields in the HR web app: forms, profiles, self-service, directory filters, CSV."""

import csv
import io
from http import HTTPStatus

import pytest

from employees.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _form_data(employee, **changes):
    data = {
        "given_name": employee.given_name,
        "family_name": employee.family_name,
        "display_name": employee.display_name,
        "user_name": employee.user_name,
        "work_email": employee.work_email,
        "title": employee.title,
        "department": employee.department,
        "version": employee.version,
    }
    data.update(changes)
    return data


def _field_block(page, name):
    start = page.index(f'id="id_{name}"')
    start = page.rindex('<div class="field', 0, start)
    return page[start : page.index("</div>", start)]


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_edit_form_shows_custom_fields_with_current_values(
    hr_admin_client, badge_color, first_aider
):
    employee = EmployeeFactory(custom_fields={"badgeColor": "Green", "firstAider": True})
    page = hr_admin_client.get(f"/employees/{employee.public_id}/edit/").content.decode()
    badge = _field_block(page, "cf_badgeColor")
    assert "Badge colour" in badge
    assert '<option value="Green" selected>Green</option>' in badge
    assert '<option value="true" selected>Yes</option>' in _field_block(page, "cf_firstAider")


def test_edit_saves_custom_fields_with_history(hr_admin_client, hr_admin, badge_color, salary_band):
    employee = EmployeeFactory(custom_fields={"salaryBand": 3})
    url = f"/employees/{employee.public_id}/edit/"
    response = hr_admin_client.post(
        url, _form_data(employee, cf_badgeColor="Blue", cf_salaryBand="4")
    )
    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert employee.custom_fields == {"badgeColor": "Blue", "salaryBand": 4}
    change = employee.changes.get()
    assert change.actor_user == hr_admin
    assert change.changes == {
        "custom_fields.badgeColor": [None, "Blue"],
        "custom_fields.salaryBand": [3, 4],
    }
    profile = hr_admin_client.get(f"/employees/{employee.public_id}/").content.decode()
    assert "<dt>Badge colour</dt><dd>Blue</dd>" in profile
    assert '<span class="field-name">Salary band</span>: <del>3</del> → <ins>4</ins>' in profile


def test_form_errors_show_beside_the_custom_fields(hr_admin_client, badge_color, salary_band):
    employee = EmployeeFactory()
    response = hr_admin_client.post(
        f"/employees/{employee.public_id}/edit/",
        _form_data(employee, cf_badgeColor="Purple", cf_salaryBand="", title="Changed"),
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Choose one of: Red, Green, Blue." in _field_block(page, "cf_badgeColor")
    assert "This field is required." in _field_block(page, "cf_salaryBand")
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == (employee.title, {})
    assert employee.title != "Changed"
    assert not employee.changes.exists()


def test_create_form_takes_custom_fields(hr_admin_client, badge_color, salary_band):
    data = {
        "given_name": "Søren",
        "family_name": "Ødegaard",
        "user_name": "soren@contoso.com",
        "work_email": "soren@contoso.com",
        "cf_badgeColor": "red",
        "cf_salaryBand": "2.5",
    }
    response = hr_admin_client.post("/employees/new/", data)
    assert response.status_code == HTTPStatus.FOUND
    employee = Employee.objects.get(user_name="soren@contoso.com")
    assert employee.custom_fields == {"badgeColor": "Red", "salaryBand": 2.5}


def test_create_form_requires_required_custom_fields(hr_admin_client, salary_band):
    response = hr_admin_client.post(
        "/employees/new/",
        {"given_name": "A", "family_name": "B", "user_name": "a@b.c", "work_email": "a@b.c"},
    )
    assert "This field is required." in _field_block(response.content.decode(), "cf_salaryBand")
    assert not Employee.objects.filter(user_name="a@b.c").exists()


def test_employee_sees_only_fields_shared_with_them(
    employee_client, employee_user, badge_color, salary_band, first_aider
):
    employee = employee_user.employee
    employee.custom_fields = {"badgeColor": "Red", "salaryBand": 9, "firstAider": False}
    employee.save()
    page = employee_client.get("/me/").content.decode()
    assert "<dt>Badge colour</dt><dd>Red</dd>" in page
    assert "<dt>First aider</dt><dd>No</dd>" in page
    assert "Salary band" not in page
    assert 'href="/me/more-details/"' in page


def test_employee_edits_own_shared_fields_only(
    employee_client, employee_user, badge_color, salary_band
):
    employee = employee_user.employee
    employee.custom_fields = {"salaryBand": 9}
    employee.save()
    page = employee_client.get("/me/more-details/").content.decode()
    assert "Badge colour" in page
    assert "Salary band" not in page
    response = employee_client.post(
        "/me/more-details/", {"cf_badgeColor": "Blue", "cf_salaryBand": "1"}
    )
    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert employee.custom_fields == {"badgeColor": "Blue", "salaryBand": 9}
    assert employee.changes.get().actor_user == employee_user


def test_employee_form_errors_show_beside_the_field(employee_client, badge_color):
    response = employee_client.post("/me/more-details/", {"cf_badgeColor": "Pink"})
    assert response.status_code == HTTPStatus.OK
    assert "Choose one of: Red, Green, Blue." in _field_block(
        response.content.decode(), "cf_badgeColor"
    )


def test_self_service_page_is_404_without_shared_fields(employee_client, salary_band):
    assert employee_client.get("/me/more-details/").status_code == HTTPStatus.NOT_FOUND


def test_self_service_needs_an_employee_record(hr_admin_client, badge_color):
    assert hr_admin_client.get("/me/more-details/").status_code == HTTPStatus.FORBIDDEN


def test_directory_filters_by_custom_fields(hr_admin_client, badge_color, first_aider, salary_band):
    red = EmployeeFactory(family_name="Redd", custom_fields={"badgeColor": "Red", "salaryBand": 4})
    EmployeeFactory(family_name="Bluey", custom_fields={"badgeColor": "Blue", "firstAider": True})
    both = EmployeeFactory(
        family_name="Both", custom_fields={"badgeColor": "Red", "firstAider": True}
    )
    response = hr_admin_client.get("/employees/", {"cf_badgeColor": "Red"})
    assert {e.pk for e in response.context["page"].object_list} == {red.pk, both.pk}
    response = hr_admin_client.get("/employees/", {"cf_badgeColor": "Red", "cf_firstAider": "true"})
    assert [e.pk for e in response.context["page"].object_list] == [both.pk]
    response = hr_admin_client.get("/employees/", {"cf_salaryBand": "4"})
    assert [e.pk for e in response.context["page"].object_list] == [red.pk]
    page = response.content.decode()
    assert '<label for="id_cf_badgeColor">Badge colour</label>' in page


def test_an_invalid_custom_filter_is_ignored(hr_admin_client, badge_color):
    EmployeeFactory.create_batch(2)
    response = hr_admin_client.get("/employees/", {"cf_badgeColor": "Purple"})
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["page"].object_list) == 2


def test_csv_export_has_a_column_per_custom_field(hr_admin_client, badge_color, first_aider):
    EmployeeFactory(family_name="Redd", custom_fields={"badgeColor": "Red", "firstAider": True})
    EmployeeFactory(family_name="Bluey", custom_fields={"badgeColor": "Blue"})
    rows = _csv(hr_admin_client.get("/employees/export.csv", {"cf_badgeColor": "Red"}))
    header = rows[0]
    assert header[-2:] == ["Badge colour", "First aider"]
    assert len(rows) == 2
    assert rows[1][-2:] == ["Red", "yes"]


def test_csv_export_is_for_hr_only(employee_client, badge_color):
    assert employee_client.get("/employees/export.csv").status_code == HTTPStatus.FORBIDDEN


def test_a_choice_taken_off_the_list_is_kept_when_hr_edits_other_fields(
    hr_admin_client, badge_color
):
    from custom_fields.services import custom_field_update

    employee = EmployeeFactory(custom_fields={"badgeColor": "Blue"})
    custom_field_update(
        field=badge_color, label="Badge colour", choices=["Red"], required=False, visibility="hr"
    )
    url = f"/employees/{employee.public_id}/edit/"
    page = hr_admin_client.get(url).content.decode()
    assert '<option value="Blue" selected>Blue</option>' in _field_block(page, "cf_badgeColor")
    response = hr_admin_client.post(url, _form_data(employee, cf_badgeColor="Blue", title="New"))
    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert (employee.title, employee.custom_fields) == ("New", {"badgeColor": "Blue"})
