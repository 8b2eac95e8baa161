import datetime as dt
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from employees.models import ChangeAction, Channel, Employee
from employees.validators import E164_MESSAGE

pytestmark = pytest.mark.django_db


def _form_data(employee, **changes):
    data = {
        "given_name": employee.given_name,
        "family_name": employee.family_name,
        "display_name": employee.display_name,
        "user_name": employee.user_name,
        "work_email": employee.work_email,
        "work_phone": employee.work_phone,
        "title": employee.title,
        "employee_number": employee.employee_number,
        "department": employee.department,
        "cost_center": employee.cost_center,
        "division": employee.division,
        "organization": employee.organization,
        "location": employee.location,
        "employment_type": employee.employment_type,
        "manager": employee.manager.user_name if employee.manager else "",
        "start_date": employee.start_date.isoformat() if employee.start_date else "",
        "end_date": employee.end_date.isoformat() if employee.end_date else "",
        "version": employee.version,
    }
    data.update(changes)
    return data


def _edit_url(employee):
    return f"/employees/{employee.public_id}/edit/"


def _field_block(page, name):
    """Return the markup of one form field's block (label, input, notes and errors)."""
    start = page.index(f'id="id_{name}"')
    start = page.rindex('<div class="field', 0, start)
    return page[start : page.index("</div>", start)]


def test_edit_form_shows_current_values(hr_admin_client, org):
    page = hr_admin_client.get(_edit_url(org["engineer"])).content.decode()
    assert 'value="Zoë"' in _field_block(page, "given_name")
    assert f'value="{org["vp"].user_name}"' in _field_block(page, "manager")
    assert 'type="tel"' in _field_block(page, "work_phone")
    assert "Entra ID" not in page  # HR-managed: no sync notes


def test_edit_saves_through_the_service_and_records_history(hr_admin_client, hr_admin, org):
    engineer = org["engineer"]
    response = hr_admin_client.post(
        _edit_url(engineer), _form_data(engineer, title="Staff Engineer")
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/employees/{engineer.public_id}/"
    engineer.refresh_from_db()
    assert engineer.title == "Staff Engineer"
    assert engineer.version == 2
    change = engineer.changes.get()
    assert change.action == ChangeAction.UPDATED
    assert change.channel == Channel.WEB
    assert change.actor_user == hr_admin
    assert change.changes == {"title": ["Engineer", "Staff Engineer"]}
    follow = hr_admin_client.get(response["Location"]).content.decode()
    assert "Changes to Zoë Brontë were saved." in follow


def test_bad_phone_shows_the_e164_message_beside_the_field(hr_admin_client, org):
    engineer = org["engineer"]
    response = hr_admin_client.post(
        _edit_url(engineer), _form_data(engineer, work_phone="617 555 1212")
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert E164_MESSAGE in _field_block(page, "work_phone")
    assert 'value="617 555 1212"' in _field_block(page, "work_phone")
    engineer.refresh_from_db()
    assert engineer.work_phone == "+16175551212"
    assert not engineer.changes.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"manager": "nobody@contoso.com"}, "manager", "No employee has this user name."),
        ({"given_name": ""}, "given_name", "This field is required."),
        ({"work_email": "not-an-email"}, "work_email", "Enter a valid email address."),
        (
            {"start_date": "2026-05-01", "end_date": "2026-04-01"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
    ],
)
def test_invalid_values_are_reported_beside_their_field(
    hr_admin_client, org, changes, field, message
):
    engineer = org["engineer"]
    response = hr_admin_client.post(_edit_url(engineer), _form_data(engineer, **changes))
    assert response.status_code == HTTPStatus.OK
    assert message in _field_block(response.content.decode(), field)
    assert not engineer.changes.exists()


def test_manager_cycle_from_the_service_is_shown_beside_manager(hr_admin_client, org):
    ceo = org["ceo"]
    response = hr_admin_client.post(
        _edit_url(ceo), _form_data(ceo, manager=org["engineer"].user_name)
    )
    assert response.status_code == HTTPStatus.OK
    assert "a cycle" in _field_block(response.content.decode(), "manager")
    ceo.refresh_from_db()
    assert ceo.manager is None


def test_taken_user_name_is_shown_beside_user_name(hr_admin_client, org):
    engineer = org["engineer"]
    taken = org["vp"].user_name.upper()
    response = hr_admin_client.post(_edit_url(engineer), _form_data(engineer, user_name=taken))
    assert response.status_code == HTTPStatus.OK
    assert "already exists" in _field_block(response.content.decode(), "user_name")


def test_a_concurrent_change_is_not_overwritten(hr_admin_client, org):
    engineer = org["engineer"]
    data = _form_data(engineer, title="Mine")
    Employee.objects.filter(pk=engineer.pk).update(version=5, title="Theirs")
    response = hr_admin_client.post(_edit_url(engineer), data)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else changed this employee" in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.title == "Theirs"


def test_scim_managed_employee_shows_sync_notes_on_entra_fields_only(hr_admin_client, org):
    engineer = org["engineer"]
    engineer.last_synced_at = timezone.now()
    engineer.save()
    page = hr_admin_client.get(_edit_url(engineer)).content.decode()
    assert "managed by Microsoft Entra ID over SCIM" in page
    note = "The next sync overwrites a change made here."
    for field in ["user_name", "given_name", "family_name", "display_name", "title", "work_email",
                  "work_phone", "employee_number", "department", "cost_center", "division",
                  "organization", "manager"]:  # fmt: skip
        assert note in _field_block(page, field), field
    for field in ["location", "employment_type", "start_date", "end_date"]:
        assert note not in _field_block(page, field), field


def test_create_adds_an_employee_through_the_service(hr_admin_client, hr_admin, org):
    response = hr_admin_client.get("/employees/new/")
    assert response.status_code == HTTPStatus.OK
    data = {
        "given_name": "Søren",
        "family_name": "Ødegaard",
        "user_name": "soren@contoso.com",
        "work_email": "soren@contoso.com",
        "work_phone": "+46701234567",
        "title": "Engineer",
        "manager": org["vp"].user_name,
        "start_date": "2026-12-01",
        "employment_type": "full_time",
    }
    response = hr_admin_client.post("/employees/new/", data)
    assert response.status_code == HTTPStatus.FOUND
    employee = Employee.objects.get(user_name="soren@contoso.com")
    assert response["Location"] == f"/employees/{employee.public_id}/"
    assert employee.manager == org["vp"]
    assert employee.active is True
    assert employee.last_synced_at is None
    change = employee.changes.get()
    assert (change.action, change.channel, change.actor_user) == (
        ChangeAction.CREATED,
        Channel.WEB,
        hr_admin,
    )


def test_create_with_errors_keeps_the_input_and_saves_nothing(hr_admin_client):
    response = hr_admin_client.post(
        "/employees/new/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "user_name": "ann@contoso.com",
            "work_email": "ann@contoso.com",
            "work_phone": "12345",
        },
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert E164_MESSAGE in _field_block(page, "work_phone")
    assert 'value="ann@contoso.com"' in _field_block(page, "user_name")
    assert not Employee.objects.filter(user_name="ann@contoso.com").exists()


def test_deactivate_asks_then_deactivates_and_reactivate_restores(hr_admin_client, hr_admin, org):
    vp = org["vp"]
    confirm = hr_admin_client.get(f"/employees/{vp.public_id}/deactivate/")
    assert confirm.status_code == HTTPStatus.OK
    assert "Deactivate José Núñez?" in confirm.content.decode()
    vp.refresh_from_db()
    assert vp.active is True  # a GET changes nothing

    assert 'name="end_date"' in confirm.content.decode()
    assert 'name="end_reason"' in confirm.content.decode()

    missing = hr_admin_client.post(f"/employees/{vp.public_id}/deactivate/", {"end_date": ""})
    assert missing.status_code == HTTPStatus.OK
    assert "This field is required." in _field_block(missing.content.decode(), "end_reason")
    vp.refresh_from_db()
    assert vp.active is True

    response = hr_admin_client.post(
        f"/employees/{vp.public_id}/deactivate/",
        {"end_date": "2026-11-30", "end_reason": "resigned"},
    )
    assert response.status_code == HTTPStatus.FOUND
    vp.refresh_from_db()
    assert (vp.active, vp.end_date.isoformat(), vp.end_reason) == (False, "2026-11-30", "resigned")
    change = vp.changes.get()
    assert change.action == ChangeAction.DEACTIVATED
    assert change.changes["end_reason"] == ["", "resigned"]
    assert (
        "Leaving reason</dt><dd>Resigned"
        in hr_admin_client.get(f"/employees/{vp.public_id}/").content.decode()
    )

    response = hr_admin_client.post(f"/employees/{vp.public_id}/reactivate/")
    assert response.status_code == HTTPStatus.FOUND
    vp.refresh_from_db()
    assert vp.active is True
    assert (vp.end_date, vp.end_reason) == (None, "")
    assert list(vp.changes.values_list("action", flat=True)) == [
        ChangeAction.REACTIVATED,
        ChangeAction.DEACTIVATED,
    ]


def test_deactivation_end_date_before_the_start_is_shown_beside_it(hr_admin_client, org):
    vp = org["vp"]
    vp.start_date = dt.date(2020, 1, 1)
    vp.save()
    response = hr_admin_client.post(
        f"/employees/{vp.public_id}/deactivate/",
        {"end_date": "2019-12-31", "end_reason": "other"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "cannot be before the start date" in response.content.decode()
    vp.refresh_from_db()
    assert vp.active is True


def test_deactivating_an_inactive_employee_changes_nothing(hr_admin_client, org):
    vp = org["vp"]
    vp.active = False
    vp.save()
    response = hr_admin_client.post(f"/employees/{vp.public_id}/deactivate/", follow=True)
    assert "José Núñez is already inactive." in response.content.decode()
    assert not vp.changes.exists()


def test_forms_require_a_csrf_token(hr_admin, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_admin)
    vp = org["vp"]
    response = client.post(f"/employees/{vp.public_id}/deactivate/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    vp.refresh_from_db()
    assert vp.active is True
    page = client.get(_edit_url(vp)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize("size", [10, 1000])
def test_edit_page_queries_do_not_grow(hr_admin_client, org, size, django_assert_max_num_queries):
    from tests.employees.conftest import bulk_employees

    bulk_employees(size, manager=org["vp"])
    # A save: the page's reads plus the service's locked read, update, history row and
    # the savepoints of its transactions.
    with django_assert_max_num_queries(17):
        response = hr_admin_client.post(
            _edit_url(org["vp"]), _form_data(org["vp"], title="Head of Engineering")
        )
    assert response.status_code == HTTPStatus.FOUND


def test_manager_suggestions_list_matching_user_names(hr_admin_client, org):
    response = hr_admin_client.get("/employees/suggestions/", {"q": "núñ"})
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().strip() == (
        f'<option value="{org["vp"].user_name}">José Núñez · VP Engineering</option>'
    )
    assert hr_admin_client.get("/employees/suggestions/").content.decode().strip() == ""


@pytest.mark.parametrize("size", [10, 1000])
def test_manager_suggestions_queries_do_not_grow(
    hr_admin_client, size, django_assert_max_num_queries
):
    from tests.employees.conftest import bulk_employees

    bulk_employees(size, given_name="Åsa")
    with django_assert_max_num_queries(6):
        response = hr_admin_client.get("/employees/suggestions/", {"q": "åsa"})
    assert response.content.decode().count("<option") == 10


def test_employees_cannot_list_suggestions(employee_client, client, org):
    assert (
        employee_client.get("/employees/suggestions/", {"q": "a"}).status_code
        == HTTPStatus.FORBIDDEN
    )
    client.logout()
    assert client.get("/employees/suggestions/", {"q": "a"}).status_code == HTTPStatus.FOUND


def test_manager_field_offers_suggestions(hr_admin_client, org):
    page = hr_admin_client.get(_edit_url(org["engineer"])).content.decode()
    block = _field_block(page, "manager")
    assert 'list="manager-suggestions"' in block
    assert 'data-suggest-url="/employees/suggestions/"' in block
    assert '<datalist id="manager-suggestions"></datalist>' in page


def test_a_phone_error_and_a_manager_cycle_show_at_once(hr_admin_client, org):
    ceo = org["ceo"]
    response = hr_admin_client.post(
        _edit_url(ceo),
        _form_data(ceo, work_phone="555-1234", manager=org["engineer"].user_name),
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert E164_MESSAGE in _field_block(page, "work_phone")
    assert "a cycle" in _field_block(page, "manager")
    ceo.refresh_from_db()
    assert ceo.manager is None


def test_employment_type_starts_at_full_time_for_a_new_employee(hr_admin_client, org):
    page = hr_admin_client.get("/employees/new/").content.decode()
    assert '<option value="full_time" selected>Full time</option>' in page
    assert "---------" not in page
    edit = hr_admin_client.get(_edit_url(org["engineer"])).content.decode()
    assert '<option value="" selected>Not set</option>' in edit
