"""The roles people hold in Alexis, as Django groups with permissions.

Owner: everything an HR admin can do, plus access tokens, single sign-on, the
provisioning log and the background task list. HR admin: manages employees. Employee: a
signed-in person with a linked employee record and no role; sees their own profile.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

OWNER = "Owner"
HR_ADMIN = "HR admin"

HR_ADMIN_PERMISSIONS = [
    "employees.view_employee",
    "employees.add_employee",
    "employees.change_employee",
    "employees.delete_employee",
    "employees.view_employee_history",
    "employees.view_employeechange",
    "teams.view_team",
]
OWNER_PERMISSIONS = [
    *HR_ADMIN_PERMISSIONS,
    "access_tokens.view_accesstoken",
    "access_tokens.add_accesstoken",
    "access_tokens.change_accesstoken",
    "access_tokens.view_accesstokenevent",
    "provisioning.view_provisioningevent",
    "django_tasks_database.view_dbtaskresult",
    "django_tasks_database.change_dbtaskresult",
]


def _group_names(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_alexis_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._alexis_group_names = cached
    return cached


def is_owner(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return whether the user holds the Owner role (superusers count as owners)."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or (
        OWNER in _group_names(user)
    )


def is_hr_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Return whether the user may manage employees (HR admins and owners)."""
    return is_owner(user) or HR_ADMIN in _group_names(user)
