"""Roles from Entra ID: the owners' setting, and HR admin granted or removed over SCIM."""

import json
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group

from accounts.models import EntraRoleMapping
from accounts.roles import HR_ADMIN, OWNER, is_hr_admin, is_owner
from accounts.services import entra_role_mapping_update
from audit.actor import Actor
from audit.models import Channel
from employees.account_links import employee_account_link
from employees.models import Employee
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory, OwnerFactory, UserFactory
from tests.scim_api.conftest import Scim, entra_create_body

pytestmark = pytest.mark.django_db

URL = "/settings/roles-from-entra/"
ROLE_TYPE = "WindowsAzureActiveDirectoryRole"


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


@pytest.fixture
def mapping(owner):
    return entra_role_mapping_update(
        enabled=True, hr_admin_values=["HRAdmin", "PeopleOps"], updated_by=owner
    )


@pytest.fixture
def person():
    """An employee with a login account and no role."""
    user = UserFactory(username="pat@contoso.com")
    return EmployeeFactory(user=user, user_name=user.username)


def _groups(user):
    return set(user.groups.values_list("name", flat=True))


# -- the setting ------------------------------------------------------------------------------


def test_only_owners_may_see_and_change_the_setting(client, hr_admin, employee_user, owner):
    assert client.get(URL).status_code == HTTPStatus.FOUND
    for user in (hr_admin, employee_user):
        client.force_login(user)
        assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
        assert client.post(URL, {"enabled": "on", "hr_admin_values": "X"}).status_code == 403
    assert not EntraRoleMapping.objects.exists()
    client.force_login(owner)
    assert client.get(URL).status_code == HTTPStatus.OK


def test_off_by_default(owner_client):
    page = owner_client.get(URL).content.decode()
    assert 'name="enabled"' in page
    assert "checked" not in page.split('name="enabled"')[1].split(">")[0]


def test_owner_turns_it_on_with_values(owner_client, owner):
    response = owner_client.post(URL, {"enabled": "on", "hr_admin_values": "HRAdmin\n\nhradmin\n"})
    assert response.status_code == HTTPStatus.FOUND
    mapping = EntraRoleMapping.objects.get()
    assert (mapping.enabled, mapping.hr_admin_values, mapping.updated_by) == (
        True,
        ["HRAdmin"],
        owner,
    )


def test_turning_on_without_values_is_an_error_beside_the_field(owner_client):
    response = owner_client.post(URL, {"enabled": "on", "hr_admin_values": ""})
    assert response.status_code == HTTPStatus.OK
    assert (
        '<p class="field-error" id="id_hr_admin_values_error">Give at least one Entra app role'
        in response.content.decode()
    )
    assert not EntraRoleMapping.objects.exists()


# -- SCIM -------------------------------------------------------------------------------------


def test_post_with_a_mapped_role_keeps_roles_and_grants_hr_admin_when_the_account_exists(
    scim, mapping
):
    user = UserFactory(username="new.hr@contoso.com")
    roles = [{"primary": True, "type": ROLE_TYPE, "value": "HRAdmin", "display": "HR admin"}]
    response = scim.post("Users", entra_create_body("new.hr@contoso.com", roles=roles))
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["roles"] == roles
    employee = Employee.objects.get(user_name="new.hr@contoso.com")
    assert employee.entra_roles == roles
    # No account was linked to the new employee: nothing granted yet.
    assert _groups(user) == set()


def test_patch_add_grants_hr_admin_and_is_recorded(scim, mapping, person):
    encoded = json.dumps({"id": "1c2f", "value": "HRAdmin", "displayName": "HR admin"})
    response = scim.patch_ops(
        person.public_id, {"op": "Add", "path": "roles", "value": [{"value": encoded}]}
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    assert response.json()["roles"] == [{"value": "HRAdmin", "display": "HR admin"}]
    user = person.user
    assert _groups(user) == {HR_ADMIN}
    changes = [c.changes for c in person.changes.order_by("id")]
    assert changes == [{"entra_roles": [[], ["HRAdmin"]]}, {"hr_admin_role": [False, True]}]


def test_additions_merge_and_never_remove(scim, mapping, person):
    person.user.groups.add(Group.objects.get(name=HR_ADMIN))
    person.entra_roles = [{"value": "HRAdmin"}]
    person.save()
    scim.patch_ops(person.public_id, {"op": "Add", "path": "roles", "value": [{"value": "Reader"}]})
    person.refresh_from_db()
    assert [r["value"] for r in person.entra_roles] == ["HRAdmin", "Reader"]
    assert _groups(person.user) == {HR_ADMIN}


def test_a_full_replace_without_a_mapped_role_removes_hr_admin(scim, mapping, person):
    person.user.groups.add(Group.objects.get(name=HR_ADMIN))
    person.entra_roles = [{"value": "HRAdmin"}]
    person.save()
    response = scim.patch_ops(
        person.public_id, {"op": "Replace", "path": "roles", "value": [{"value": "Reader"}]}
    )
    assert response.status_code == HTTPStatus.OK
    assert _groups(person.user) == set()
    assert person.changes.latest("id").changes == {"hr_admin_role": [True, False]}


def test_single_app_role_assignment_path_sets_the_primary_role(scim, mapping, person):
    path = 'roles[primary eq "True"].value'
    response = scim.patch_ops(person.public_id, {"op": "Add", "path": path, "value": "PeopleOps"})
    assert response.status_code == HTTPStatus.OK, response.json()
    person.refresh_from_db()
    assert person.entra_roles == [{"value": "PeopleOps", "primary": True}]
    assert _groups(person.user) == {HR_ADMIN}
    scim.patch_ops(person.public_id, {"op": "Replace", "path": path, "value": "Reader"})
    person.refresh_from_db()
    assert person.entra_roles == [{"value": "Reader", "primary": True}]
    assert _groups(person.user) == set()


def test_remove_with_a_filter_drops_that_role(scim, mapping, person):
    person.entra_roles = [{"value": "HRAdmin"}, {"value": "Reader"}]
    person.save()
    person.user.groups.add(Group.objects.get(name=HR_ADMIN))
    scim.patch_ops(person.public_id, {"op": "remove", "path": 'roles[value eq "HRAdmin"]'})
    person.refresh_from_db()
    assert person.entra_roles == [{"value": "Reader"}]
    assert _groups(person.user) == set()


def test_owner_is_never_granted_or_removed(scim, owner, person):
    entra_role_mapping_update(enabled=True, hr_admin_values=["Owner"], updated_by=owner)
    boss = OwnerFactory(username="boss@contoso.com")
    boss_employee = EmployeeFactory(user=boss, user_name="boss@contoso.com")
    scim.patch_ops(person.public_id, {"op": "Add", "path": "roles", "value": [{"value": "Owner"}]})
    assert not is_owner(person.user)
    assert _groups(person.user) == {HR_ADMIN}  # "Owner" mapped grants HR admin, never Owner
    boss_employee.entra_roles = [{"value": "Owner"}]
    boss_employee.save()
    scim.patch_ops(boss_employee.public_id, {"op": "Replace", "path": "roles", "value": []})
    boss.refresh_from_db()
    assert OWNER in _groups(boss)
    assert is_hr_admin(boss)


def test_while_off_roles_are_ignored_noted_and_nothing_is_granted(scim, person):
    response = scim.patch_ops(
        person.public_id,
        {"op": "Add", "path": "roles", "value": [{"value": "HRAdmin"}]},
        {"op": "Replace", "path": "title", "value": "Lead"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "roles" not in response.json()
    person.refresh_from_db()
    assert (person.entra_roles, person.title) == ([], "Lead")
    assert _groups(person.user) == set()
    assert ProvisioningEvent.objects.latest("id").not_kept == ["roles"]
    user = next(s for s in scim.get("Schemas").json()["Resources"] if s["name"] == "User")
    assert "roles" not in [a["name"] for a in user["attributes"]]


def test_roles_are_listed_in_schemas_while_on(scim, mapping):
    user = next(s for s in scim.get("Schemas").json()["Resources"] if s["name"] == "User")
    roles = next(a for a in user["attributes"] if a["name"] == "roles")
    assert (roles["multiValued"], roles["mutability"]) == (True, "readWrite")


def test_an_unrelated_role_change_leaves_hr_admin_given_in_alexis(scim, mapping, person):
    person.user.groups.add(Group.objects.get(name=HR_ADMIN))
    scim.patch_ops(
        person.public_id, {"op": "Replace", "path": "roles", "value": [{"value": "Reader"}]}
    )
    assert _groups(person.user) == {HR_ADMIN}


def test_roles_take_effect_when_the_account_is_linked(mapping):
    from accounts.services import hr_admin_on_account_link

    user = UserFactory(username="later@contoso.com")
    assert hr_admin_on_account_link(user=user, roles=[{"value": "hradmin"}])
    assert _groups(user) == {HR_ADMIN}


def test_roles_take_effect_when_an_owner_links_an_existing_account(mapping, owner):
    employee = EmployeeFactory(user=None, entra_roles=[{"value": "PeopleOps"}])
    account = UserFactory(username="existing@contoso.com")
    employee_account_link(
        employee=employee, user=account, actor=Actor(channel=Channel.ADMIN, user=owner)
    )
    assert _groups(account) == {HR_ADMIN}
    assert Employee.objects.get(pk=employee.pk).user == account


def test_linking_an_account_grants_nothing_without_a_mapped_role(mapping, owner):
    employee = EmployeeFactory(user=None, entra_roles=[{"value": "Reader"}])
    account = UserFactory(username="existing@contoso.com")
    employee_account_link(
        employee=employee, user=account, actor=Actor(channel=Channel.ADMIN, user=owner)
    )
    assert _groups(account) == set()


def test_a_role_with_a_bad_value_is_a_400_naming_roles(scim, mapping, person):
    response = scim.patch_ops(
        person.public_id, {"op": "Add", "path": "roles", "value": [{"value": 42}]}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["detail"] == "roles.value must be a string."


def test_turning_the_mapping_on_applies_roles_already_kept(owner, person):
    person.entra_roles = [{"value": "HRAdmin"}]
    person.save()
    other = EmployeeFactory(
        user=UserFactory(username="x@contoso.com"), entra_roles=[{"value": "Reader"}]
    )
    entra_role_mapping_update(enabled=True, hr_admin_values=["HRAdmin"], updated_by=owner)
    assert _groups(person.user) == {HR_ADMIN}
    assert _groups(other.user) == set()
    change = person.changes.get()
    assert (change.changes, change.actor_user) == ({"hr_admin_role": [False, True]}, owner)
    entra_role_mapping_update(enabled=False, hr_admin_values=["HRAdmin"], updated_by=owner)
    assert _groups(person.user) == set()
