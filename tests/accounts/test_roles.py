import pytest
from django.contrib.auth.models import Group

from accounts.roles import HR_ADMIN, OWNER, is_hr_admin, is_owner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_both_roles_with_permissions():
    owner_perms = set(Group.objects.get(name=OWNER).permissions.values_list("codename", flat=True))
    hr_perms = set(Group.objects.get(name=HR_ADMIN).permissions.values_list("codename", flat=True))
    assert {"add_accesstoken", "change_accesstoken", "view_accesstoken"} <= owner_perms
    assert {"view_employee", "add_employee", "change_employee"} <= hr_perms
    assert hr_perms <= owner_perms
    assert "add_accesstoken" not in hr_perms


def test_role_checks(owner, hr_admin):
    nobody = UserFactory(username="nobody")
    assert is_owner(owner) and is_hr_admin(owner)
    assert is_hr_admin(hr_admin) and not is_owner(hr_admin)
    assert not is_owner(nobody) and not is_hr_admin(nobody)
    owner.is_active = False
    assert not is_owner(owner)
