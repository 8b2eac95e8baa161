from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from accounts.decorators import (
    HRAdminRequiredMixin,
    OwnerRequiredMixin,
    hr_admin_required,
    owner_required,
    signed_in_required,
)

pytestmark = pytest.mark.django_db


@hr_admin_required
def hr_view(request):
    return HttpResponse("hr")


@owner_required
def owner_view(request):
    return HttpResponse("owner")


@signed_in_required
def any_view(request):
    return HttpResponse("any")


def _request(user):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return request


@pytest.mark.parametrize("view", [hr_view, owner_view, any_view])
def test_anonymous_visitors_are_sent_to_sign_in_with_next(view):
    response = view(_request(AnonymousUser()))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/sign-in/?next=/somewhere/%3Fx%3D1"


def test_owner_passes_every_check(owner):
    assert hr_view(_request(owner)).content == b"hr"
    assert owner_view(_request(owner)).content == b"owner"


def test_hr_admin_is_refused_owner_pages(hr_admin):
    assert hr_view(_request(hr_admin)).content == b"hr"
    with pytest.raises(PermissionDenied):
        owner_view(_request(hr_admin))


def test_employee_is_refused_hr_and_owner_pages(employee_user):
    assert any_view(_request(employee_user)).content == b"any"
    with pytest.raises(PermissionDenied):
        hr_view(_request(employee_user))
    with pytest.raises(PermissionDenied):
        owner_view(_request(employee_user))


def test_decorated_view_keeps_its_name():
    assert hr_view.__name__ == "hr_view"


class HRPage(HRAdminRequiredMixin, View):
    def get(self, request):
        return HttpResponse("hr page")


class OwnerPage(OwnerRequiredMixin, View):
    def get(self, request):
        return HttpResponse("owner page")


def test_mixins_check_roles_like_the_decorators(hr_admin, owner, employee_user):
    hr_page, owner_page = HRPage.as_view(), OwnerPage.as_view()
    assert hr_page(_request(AnonymousUser())).status_code == HTTPStatus.FOUND
    assert hr_page(_request(hr_admin)).content == b"hr page"
    assert owner_page(_request(owner)).content == b"owner page"
    with pytest.raises(PermissionDenied):
        owner_page(_request(hr_admin))
    with pytest.raises(PermissionDenied):
        hr_page(_request(employee_user))


def test_inactive_user_is_refused(hr_admin):
    hr_admin.is_active = False
    with pytest.raises(PermissionDenied):
        hr_view(_request(hr_admin))
    with pytest.raises(PermissionDenied):
        any_view(_request(hr_admin))
