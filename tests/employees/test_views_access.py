"""Every HR web app page, for every role: allowed, refused or sent to sign-in."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

HR_PAGES = [
    ("employees:home", False),
    ("employees:directory", False),
    ("employees:directory-export", False),
    ("employees:new", False),
    ("employees:org-chart", False),
    ("employees:profile", True),
    ("employees:edit", True),
    ("employees:deactivate", True),
    ("employees:reactivate", True),
    ("employees:org-chart-children", True),
]


@pytest.fixture
def target():
    return EmployeeFactory(given_name="Target", family_name="Person")


def _url(name, needs_id, target):
    return reverse(name, kwargs={"public_id": target.public_id} if needs_id else None)


@pytest.mark.parametrize(("name", "needs_id"), [*HR_PAGES, ("employees:me", False)])
def test_anonymous_visitor_is_sent_to_sign_in(client, target, name, needs_id):
    url = _url(name, needs_id, target)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/sign-in/?next=")


@pytest.mark.parametrize(("name", "needs_id"), HR_PAGES)
@pytest.mark.parametrize("role_client", ["hr_admin_client", "owner_client"])
def test_hr_admin_and_owner_open_every_page(request, target, name, needs_id, role_client):
    client = request.getfixturevalue(role_client)
    response = client.get(_url(name, needs_id, target))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(("name", "needs_id"), [p for p in HR_PAGES if p[0] != "employees:home"])
def test_employee_is_refused_every_hr_page(employee_client, target, name, needs_id):
    response = employee_client.get(_url(name, needs_id, target))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"You cannot open this page" in response.content


def test_employee_cannot_open_even_their_own_hr_profile(employee_client, employee_user):
    url = reverse("employees:profile", kwargs={"public_id": employee_user.employee.public_id})
    assert employee_client.get(url).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("name", ["employees:deactivate", "employees:reactivate", "employees:edit"])
def test_employee_cannot_change_anyone_by_post(employee_client, target, name):
    url = reverse(name, kwargs={"public_id": target.public_id})
    response = employee_client.post(url, {"title": "Hacked"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    target.refresh_from_db()
    assert target.active is True
    assert target.title != "Hacked"
    assert not target.changes.exists()


def test_employee_home_is_their_own_profile(employee_client, employee_user):
    response = employee_client.get(reverse("employees:home"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["employee"] == employee_user.employee
    assert response.context["hr_view"] is False


def test_user_without_role_or_employee_record_is_refused(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("employees:home")).status_code == HTTPStatus.FORBIDDEN
    response = client.get(reverse("employees:me"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    page = response.content.decode()
    assert "Your account has no employee record yet" in page
    assert "Sign in with Microsoft" in page


def test_hr_admin_without_employee_record_sees_a_message_on_my_profile(hr_admin_client):
    response = hr_admin_client.get(reverse("employees:me"))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Your account has no employee record yet" in response.content
    assert b"Find yourself in the directory" in response.content


def test_unknown_employee_is_not_found(hr_admin_client):
    url = reverse("employees:profile", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    assert hr_admin_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_deleted_employee_profile_is_read_only_and_cannot_be_changed(hr_admin_client, target):
    from django.utils import timezone

    target.deleted_at = timezone.now()
    target.save()
    response = hr_admin_client.get(
        reverse("employees:profile", kwargs={"public_id": target.public_id})
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Deleted " in page
    assert "/edit/" not in page
    for name in ["employees:edit", "employees:deactivate", "employees:reactivate"]:
        url = reverse(name, kwargs={"public_id": target.public_id})
        assert hr_admin_client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert hr_admin_client.post(url).status_code == HTTPStatus.NOT_FOUND


def test_navigation_depends_on_role(hr_admin_client, client, employee_user):
    hr_page = hr_admin_client.get(reverse("employees:home")).content.decode()
    assert 'href="/employees/"' in hr_page
    assert 'href="/org-chart/"' in hr_page
    assert 'href="/settings/access-tokens/"' not in hr_page  # owners only

    client.force_login(employee_user)
    page = client.get(reverse("employees:me")).content.decode()
    assert 'href="/me/"' in page
    assert 'href="/employees/"' not in page
    assert 'href="/org-chart/"' not in page


def test_owner_sees_the_settings_menu(owner_client):
    page = owner_client.get(reverse("employees:home")).content.decode()
    assert 'href="/settings/access-tokens/"' in page


@pytest.mark.parametrize("name", ["employees:home", "employees:directory", "employees:org-chart"])
def test_security_headers_are_sent(hr_admin_client, name):
    response = hr_admin_client.get(reverse(name))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["employees:home", "employees:directory", "employees:org-chart"])
def test_pages_have_no_inline_scripts_or_styles(hr_admin_client, org, name):
    page = hr_admin_client.get(reverse(name)).content.decode()
    assert "<script>" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert " onclick=" not in page


def test_employee_whose_record_was_deleted_loses_my_profile(employee_client, employee_user):
    from django.utils import timezone

    employee = employee_user.employee
    employee.deleted_at = timezone.now()
    employee.save()
    response = employee_client.get(reverse("employees:me"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert 'href="/me/"' not in response.content.decode()
    assert employee_client.get(reverse("employees:home")).status_code == HTTPStatus.FORBIDDEN
