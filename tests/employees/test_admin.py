from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = HRAdminFactory(username="stella.staff", is_staff=True)
    client.force_login(staff)
    return client


def test_changelist_and_change_page_load_for_staff(staff_client):
    employee = EmployeeFactory(user_name="alice@contoso.com")
    changelist = staff_client.get(reverse("admin:employees_employee_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    assert b"alice@contoso.com" in changelist.content
    change = staff_client.get(reverse("admin:employees_employee_change", args=[employee.pk]))
    assert change.status_code == HTTPStatus.OK
    assert b"Recent changes" in change.content


def test_admin_is_refused_to_people_who_are_not_staff(client):
    client.force_login(UserFactory(username="no.staff"))
    response = client.get(reverse("admin:employees_employee_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_search_finds_by_name_user_name_email_and_number(staff_client):
    EmployeeFactory(given_name="Åsa", family_name="Öberg", employee_number="E42")
    EmployeeFactory(given_name="Bob", family_name="Builder")
    url = reverse("admin:employees_employee_changelist")
    for term in ["Öberg", "E42"]:
        response = staff_client.get(url, {"q": term})
        assert [e.family_name for e in response.context["cl"].result_list] == ["Öberg"]


@pytest.mark.parametrize("size", [10, 1000])
def test_changelist_query_count_does_not_grow(staff_client, size, django_assert_max_num_queries):
    managers = EmployeeFactory.create_batch(5)
    Employee.objects.bulk_create(
        Employee(
            user_name=f"bulk{i}@contoso.com",
            given_name="Bulk",
            family_name=f"Person{i:05d}",
            work_email=f"bulk{i}@contoso.com",
            manager=managers[i % 5],
        )
        for i in range(size)
    )
    url = reverse("admin:employees_employee_changelist")
    staff_client.get(url)  # fills the cached department and division filter choices
    with django_assert_max_num_queries(10):
        response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["cl"].result_list) == min(size + 5, 50)


def test_editing_in_the_admin_goes_through_the_service(staff_client):
    employee = EmployeeFactory(user_name="alice@contoso.com", title="Engineer")
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"title": "Staff engineer", "manager": "", "user": ""})
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    employee.refresh_from_db()
    assert employee.title == "Staff engineer"
    change = EmployeeChange.objects.get(employee=employee)
    assert change.channel == Channel.ADMIN
    assert change.action == ChangeAction.UPDATED
    assert change.changes == {"title": ["Engineer", "Staff engineer"]}


def test_deleting_in_the_admin_is_a_soft_delete(staff_client):
    employee = EmployeeFactory()
    url = reverse("admin:employees_employee_delete", args=[employee.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert employee.deleted_at is not None


def test_history_button_shows_the_employees_full_change_history(staff_client):
    employee = EmployeeFactory()
    response = staff_client.get(f"/admin/employees/employee/{employee.pk}/history/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == (
        f"/admin/employees/employeechange/?employee__id__exact={employee.pk}"
    )


def test_admin_names_the_token_warns_about_scim_and_says_alexis(staff_client, scim_token):
    from employees.services import Actor, employee_update

    employee = EmployeeFactory(last_synced_at=timezone.now())
    employee_update(
        employee=employee,
        actor=Actor(channel=Channel.SCIM, token=scim_token.token),
        data={"title": "Engineer II"},
    )
    page = staff_client.get(f"/admin/employees/employee/{employee.pk}/change/").content.decode()
    assert "token «Entra ID»" in page
    assert 'id="scim-managed-warning"' in page
    assert "the next sync overwrites a change made here" in page
    assert "Alexis administration" in page
    assert "Django administration" not in page
    hr_record = EmployeeFactory()
    other = staff_client.get(f"/admin/employees/employee/{hr_record.pk}/change/").content.decode()
    assert 'id="scim-managed-warning"' not in other
