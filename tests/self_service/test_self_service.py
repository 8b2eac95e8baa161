from http import HTTPStatus

import pytest
from django.core import mail

from employees.models import Employee
from notifications.models import Notification
from self_service.models import ChangeRequest, ChangeRequestStatus, FieldRule
from self_service.selectors import field_rules
from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/personal-details/"
DETAILS = {
    "preferred_name": "",
    "pronouns": "",
    "personal_email": "",
    "mobile_phone": "",
    "home_address": "",
    "emergency_contacts": "",
}


def _post(client, **values):
    return client.post(URL, {**DETAILS, **values})


def test_defaults_and_hr_choices(hr_admin_client):
    assert field_rules()["home_address"] is True
    assert field_rules()["pronouns"] is False
    response = hr_admin_client.post(
        "/settings/self-service/",
        {field: "approval" for field in DETAILS} | {"home_address": "at_once"},
    )
    assert response.status_code == HTTPStatus.FOUND
    rules = field_rules()
    assert rules["home_address"] is False
    assert rules["pronouns"] is True
    page = hr_admin_client.get("/settings/self-service/").content.decode()
    assert "Self-service settings" in page
    assert "Needs HR approval" in page and "Applies at once" in page


def test_a_detail_without_approval_applies_at_once_with_history(employee_client, employee_user):
    response = _post(employee_client, pronouns="she/her", preferred_name="Ez")
    assert response.status_code == HTTPStatus.FOUND
    employee = Employee.objects.get(user=employee_user)
    assert (employee.pronouns, employee.preferred_name) == ("she/her", "Ez")
    change = employee.changes.get()
    assert change.actor_user == employee_user
    assert change.changes == {"preferred_name": ["", "Ez"], "pronouns": ["", "she/her"]}
    assert not ChangeRequest.objects.exists()
    page = employee_client.get(URL).content.decode()
    assert "Saved: preferred name, pronouns." in page


def test_a_detail_needing_approval_waits_and_tells_hr(
    employee_client, employee_user, hr_admin, django_capture_on_commit_callbacks
):
    other_user = UserFactory(username="noone")  # not HR: not told
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(employee_client, home_address="1 Main Street\nSpringfield")
    assert response.status_code == HTTPStatus.FOUND
    employee = Employee.objects.get(user=employee_user)
    assert employee.home_address == ""
    request = ChangeRequest.objects.get()
    assert (request.field, request.old_value, request.new_value, request.status) == (
        "home_address",
        "",
        "1 Main Street\nSpringfield",
        ChangeRequestStatus.PENDING,
    )
    notification = Notification.objects.get(kind="self_service.change_requested")
    assert notification.recipient == hr_admin
    assert notification.title == "Erin Employee asks to change their personal details"
    assert notification.url == "/approvals/"
    assert "Home address" in notification.body
    assert not Notification.objects.filter(recipient=other_user).exists()
    assert [message.to for message in mail.outbox] == [[hr_admin.email]]
    page = employee_client.get(URL).content.decode()
    assert "Sent to HR for approval: home address." in page
    assert "Waiting for HR since" in page

    # Asking again replaces the waiting change rather than adding a second one.
    _post(employee_client, home_address="2 Main Street")
    assert ChangeRequest.objects.get().new_value == "2 Main Street"


def test_hr_approves_and_the_history_names_the_approver(
    client, employee_user, hr_admin, django_assert_max_num_queries
):
    client.force_login(employee_user)
    _post(client, personal_email="erin@home.example")
    client.force_login(hr_admin)
    for _ in range(5):
        EmployeeFactory(personal_email="", home_address="x")
    with django_assert_max_num_queries(12):
        page = client.get("/approvals/")
    assert "erin@home.example" in page.content.decode()
    request = ChangeRequest.objects.get()
    response = client.post(f"/approvals/{request.public_id}/approve/")
    assert response.status_code == HTTPStatus.FOUND
    employee = Employee.objects.get(user=employee_user)
    assert employee.personal_email == "erin@home.example"
    change = employee.changes.get()
    assert change.actor_user == hr_admin
    assert change.changes == {"personal_email": ["", "erin@home.example"]}
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ChangeRequestStatus.APPROVED, hr_admin)
    # Deciding twice says so, and changes nothing.
    response = client.post(f"/approvals/{request.public_id}/reject/", follow=True)
    assert "This change was already approved." in response.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.APPROVED


def test_hr_rejects_with_a_reason(client, employee_user, hr_admin):
    client.force_login(employee_user)
    _post(client, home_address="Somewhere")
    request = ChangeRequest.objects.get()
    client.force_login(hr_admin)
    response = client.post(
        f"/approvals/{request.public_id}/reject/", {"reason": "Please add a postcode"}, follow=True
    )
    assert "Rejected: home address of Erin Employee." in response.content.decode()
    assert "Please add a postcode" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.REJECTED
    assert Employee.objects.get(user=employee_user).home_address == ""
    client.force_login(employee_user)
    page = client.get(URL).content.decode()
    assert "HR's recent decisions" in page
    assert "Rejected</span> Home address: “Somewhere”, <time" in page
    assert "just now</time>. Reason: Please add a postcode</li>" in page
    assert not Employee.objects.get(user=employee_user).changes.exists()


def test_hr_admins_do_not_approve_their_own_changes(client):
    hr = HRAdminFactory(username="hana")
    EmployeeFactory(user=hr, given_name="Hana", family_name="Holm")
    client.force_login(hr)
    _post(client, home_address="Home")
    request = ChangeRequest.objects.get()
    response = client.post(f"/approvals/{request.public_id}/approve/", follow=True)
    assert "Another HR admin approves changes to your own details." in response.content.decode()
    request.refresh_from_db()
    assert request.is_pending


def test_bad_values_are_shown_beside_the_field_and_nothing_is_saved(employee_client, employee_user):
    FieldRule.objects.create(field="personal_email", needs_approval=False)
    response = _post(
        employee_client, personal_email="not an email", mobile_phone="12", pronouns="they/them"
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'id="id_mobile_phone_error"' in page
    employee = Employee.objects.get(user=employee_user)
    assert employee.pronouns == ""
    assert not ChangeRequest.objects.exists()


def test_work_details_are_read_only_with_a_note(employee_client, employee_user):
    page = employee_client.get(URL).content.decode()
    assert "HR keeps these up to date: ask HR to correct them." in page
    assert 'name="work_email"' not in page
    employee = Employee.objects.get(user=employee_user)
    Employee.objects.filter(pk=employee.pk).update(last_synced_at="2026-01-01T00:00:00Z")
    page = employee_client.get(URL).content.decode()
    assert "These come from Microsoft Entra ID and change there" in page
    # A posted work field is ignored.
    _post(employee_client, work_email="evil@example.com", title="CEO")
    employee.refresh_from_db()
    assert employee.work_email != "evil@example.com"
    assert employee.title != "CEO"


def test_who_may_open_what(client, employee_client, hr_admin):
    request_page = employee_client.get("/approvals/")
    assert request_page.status_code == HTTPStatus.FORBIDDEN
    assert employee_client.get("/settings/self-service/").status_code == HTTPStatus.FORBIDDEN
    client.logout()
    assert client.get(URL).status_code == HTTPStatus.FOUND  # to sign in
    no_record = UserFactory(username="nobody")
    client.force_login(no_record)
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    client.force_login(hr_admin)
    assert client.post("/approvals/00000000-0000-0000-0000-000000000000/approve/").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert client.get("/approvals/").status_code == HTTPStatus.OK


def test_hr_edits_personal_details_on_the_edit_page(hr_admin_client):
    employee = EmployeeFactory()
    page = hr_admin_client.get(f"/employees/{employee.public_id}/edit/").content.decode()
    assert 'name="emergency_contacts"' in page
    form = hr_admin_client.get(f"/employees/{employee.public_id}/edit/").context["form"]
    data = {
        name: value
        for name, value in ((field.name, field.value()) for field in form)
        if value is not None
    }
    data["emergency_contacts"] = "Sam (partner) +16175551214\r\nAlex (sister) +16175551215"
    data["pronouns"] = "they/them"
    response = hr_admin_client.post(f"/employees/{employee.public_id}/edit/", data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    employee.refresh_from_db()
    assert employee.emergency_contacts == ("Sam (partner) +16175551214\nAlex (sister) +16175551215")
    assert employee.changes.get().changes["pronouns"] == ["", "they/them"]


@pytest.mark.parametrize("waiting", [1, 30])
def test_pages_take_the_same_queries_however_many_changes_wait(
    client, employee_user, hr_admin, waiting, django_assert_max_num_queries
):
    for employee in EmployeeFactory.create_batch(waiting):
        ChangeRequest.objects.create(employee=employee, field="home_address", new_value="Home")
        ChangeRequest.objects.create(
            employee=employee,
            field="pronouns",
            new_value="she/her",
            status=ChangeRequestStatus.REJECTED,
            decided_by=hr_admin,
        )
    client.force_login(hr_admin)
    with django_assert_max_num_queries(8):
        page = client.get("/approvals/").content.decode()
    assert page.count("<tr id=") == waiting
    client.force_login(employee_user)
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == HTTPStatus.OK


def test_home_links_hr_to_the_changes_waiting(hr_admin_client):
    assert "waiting for approval" not in hr_admin_client.get("/").content.decode()
    for employee in EmployeeFactory.create_batch(2):
        ChangeRequest.objects.create(employee=employee, field="pronouns", new_value="he/him")
    page = hr_admin_client.get("/").content.decode()
    assert (
        '<a class="stat" href="/approvals/"><span class="stat-value">2</span> '
        '<span class="stat-label">changes waiting for approval</span></a>'
    ) in page


def test_profile_says_how_to_address_the_person(hr_admin_client):
    employee = EmployeeFactory(preferred_name="Ez", pronouns="she/her")
    page = hr_admin_client.get(f"/employees/{employee.public_id}/").content.decode()
    assert '<p class="muted goes-by">Goes by Ez · she/her</p>' in page


def test_a_change_for_a_deleted_employee_is_not_applied(client, hr_admin):
    employee = EmployeeFactory()
    request = ChangeRequest.objects.create(employee=employee, field="pronouns", new_value="he/him")
    Employee.objects.filter(pk=employee.pk).update(deleted_at="2026-01-01T00:00:00Z")
    client.force_login(hr_admin)
    response = client.post(f"/approvals/{request.public_id}/approve/", follow=True)
    assert "The employee was deleted: reject the change instead." in response.content.decode()
    request.refresh_from_db()
    assert request.is_pending
