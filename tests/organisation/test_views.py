"""The organisation pages: HR admins list, create, edit, merge and archive records."""

from http import HTTPStatus

import pytest

from employees.services import employee_update
from organisation.kinds import DEPARTMENT, LEGAL_ENTITY, LOCATION
from organisation.models import Department, Location, OrganisationSettings
from organisation.services import org_record_create
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/organisation/departments/").status_code == HTTPStatus.FOUND


def test_pages_are_for_hr_admins_only(employee_client):
    assert employee_client.get("/organisation/departments/").status_code == HTTPStatus.FORBIDDEN


def test_settings_are_for_owners_only(hr_admin_client):
    assert hr_admin_client.get("/organisation/settings/").status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("kind", [DEPARTMENT, LOCATION, LEGAL_ENTITY])
def test_empty_lists_say_so(hr_admin_client, kind):
    response = hr_admin_client.get(f"/organisation/{kind.slug}/")
    assert response.status_code == HTTPStatus.OK
    assert f"No {kind.plural} yet." in response.content.decode()


def test_unknown_kind_is_404(hr_admin_client):
    assert hr_admin_client.get("/organisation/teams/").status_code == HTTPStatus.NOT_FOUND


def test_create_then_the_list_shows_the_record_with_headcount(hr_admin_client, web_actor):
    response = hr_admin_client.post(
        "/organisation/locations/new/",
        {
            "name": "Stockholm",
            "address": "Kungsgatan 1",
            "country": "se",
            "time_zone": "Europe/Stockholm",
        },
    )
    place = Location.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/organisation/locations/{place.public_id}/"
    assert (place.country, place.time_zone) == ("SE", "Europe/Stockholm")
    employee_update(employee=EmployeeFactory(), actor=web_actor, data={"location_record": place})

    page = hr_admin_client.get("/organisation/locations/").content.decode()
    assert "Stockholm" in page
    assert '<td data-label="Employees">1</td>' in page


def test_errors_show_beside_the_field(hr_admin_client, web_actor):
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    response = hr_admin_client.post("/organisation/departments/new/", {"name": "sales"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {
        "name": ["The department “Sales” already has this name."]
    }
    bad_country = hr_admin_client.post(
        "/organisation/legal-entities/new/", {"name": "Contoso AB", "country": "Sweden"}
    )
    assert bad_country.context["form"].errors == {
        "country": ["Enter the two-letter country code, e.g. SE."]
    }


def test_edit_renames_and_the_history_shows_it(hr_admin_client, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    url = f"/organisation/departments/{sales.public_id}/"
    response = hr_admin_client.post(url, {"name": "Revenue", "cost_center": "4100"})
    assert response.status_code == HTTPStatus.FOUND
    page = hr_admin_client.get(url).content.decode()
    assert "<del>Sales</del> → <ins>Revenue</ins>" in page
    assert "Default cost center" in page


def test_merge_asks_first_then_moves_employees(hr_admin_client, web_actor):
    sales = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    old = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales EMEA")
    employee = employee_update(
        employee=EmployeeFactory(), actor=web_actor, data={"department_record": old}
    )
    url = f"/organisation/departments/{old.public_id}/merge/"

    confirm = hr_admin_client.get(url).content.decode()
    assert "This cannot be undone." in confirm
    response = hr_admin_client.post(url, {"target": sales.pk})

    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert (employee.department_record, employee.department) == (sales, "Sales")
    assert "Sales EMEA" in hr_admin_client.get("/organisation/departments/").content.decode()


def test_archive_asks_first_and_refuses_a_parent_in_use(hr_admin_client, web_actor):
    top = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations")
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Logistics", parent=top)
    url = f"/organisation/departments/{top.public_id}/archive/"
    assert "Archive “Operations”?" in hr_admin_client.get(url).content.decode()
    refused = hr_admin_client.post(url)
    assert refused.status_code == HTTPStatus.OK
    assert "Archive or move this department" in refused.content.decode()
    assert not Department.objects.get(pk=top.pk).is_archived


def test_department_chart_shows_tree_head_and_headcount(hr_admin_client, web_actor):
    head = EmployeeFactory(given_name="Ada", family_name="Lovelace")
    top = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations", head=head)
    child = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Logistics", parent=top)
    employee_update(employee=EmployeeFactory(), actor=web_actor, data={"department_record": child})

    page = hr_admin_client.get("/organisation/departments/chart/").content.decode()

    assert f'Head: <a href="/org-chart/?root={head.public_id}">Ada Lovelace</a>' in page
    assert page.index("Operations") < page.index("Logistics")
    assert "1 employee</span>" in page
    assert "data-org-viewport" in page


def test_owner_turns_off_provisioning_creation(owner_client):
    response = owner_client.post("/organisation/settings/", {})
    assert response.status_code == HTTPStatus.FOUND
    assert OrganisationSettings.objects.get().provisioning_creates_records is False


def test_list_queries_do_not_grow(hr_admin_client, web_actor, django_assert_max_num_queries):
    for n in range(15):
        department = org_record_create(kind=DEPARTMENT, actor=web_actor, name=f"Dept {n}")
        employee_update(
            employee=EmployeeFactory(), actor=web_actor, data={"department_record": department}
        )
    with django_assert_max_num_queries(8):
        hr_admin_client.get("/organisation/departments/")
    with django_assert_max_num_queries(8):
        hr_admin_client.get("/organisation/departments/chart/")


def test_directory_filters_offer_the_records_not_archived_or_merged(hr_admin_client, web_actor):
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Sales")
    org_record_create(kind=LEGAL_ENTITY, actor=web_actor, name="Contoso AB")
    old = org_record_create(kind=DEPARTMENT, actor=web_actor, name="Legal")
    hr_admin_client.post(f"/organisation/departments/{old.public_id}/archive/")
    EmployeeFactory(department="Free text only")

    response = hr_admin_client.get("/employees/")

    form = response.context["form"]
    assert form.fields["department"].widget.choices == [("", "All"), ("Sales", "Sales")]
    assert form.fields["organization"].widget.choices == [("", "All"), ("Contoso AB", "Contoso AB")]
