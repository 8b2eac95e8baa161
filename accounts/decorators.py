"""Role checks for views: anonymous visitors go to sign-in; users without the role get 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.roles import is_hr_admin, is_owner

RoleCheck = Callable[[Any], bool]
View = Callable[..., HttpResponse]


def role_required(check: RoleCheck) -> Callable[[View], View]:
    """Build a view decorator that lets through only signed-in users passing `check`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def has_employee_record(user: Any) -> bool:
    """Return whether the user is active and linked to an employee record that is not deleted."""
    if not user.is_active:
        return False
    employee = getattr(user, "employee", None)
    return employee is not None and employee.deleted_at is None


hr_admin_required = role_required(is_hr_admin)
hr_admin_required.__doc__ = "Allow HR admins and owners only."
owner_required = role_required(is_owner)
owner_required.__doc__ = "Allow owners only."
signed_in_required = role_required(lambda user: user.is_active)
signed_in_required.__doc__ = "Allow any active signed-in user (the view decides what they see)."


class RoleRequiredMixin(AccessMixin):
    """Class-based-view counterpart of `role_required`; set `role_check`."""

    role_check: RoleCheck = staticmethod(lambda user: False)
    raise_exception = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not type(self).role_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HRAdminRequiredMixin(RoleRequiredMixin):
    """Allow HR admins and owners only."""

    role_check = staticmethod(is_hr_admin)


class OwnerRequiredMixin(RoleRequiredMixin):
    """Allow owners only."""

    role_check = staticmethod(is_owner)
