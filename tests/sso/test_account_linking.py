"""Single sign-on never takes over an existing sign-in account; owners link accounts explicitly."""

from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import OWNER
from employees.models import ChangeAction, Channel, Employee, EmployeeChange
from employees.services import Actor, employee_create, employee_update
from sso.models import RefusalReason, SignInRefusal
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from tests.sso.test_acs import post_acs

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:employees_employee_changelist"


@pytest.fixture
def break_glass(db):
    """An owner account made by hand, with no employee record."""
    return OwnerFactory(username="break.glass")


def test_hr_admin_cannot_become_an_owner_through_single_sign_on(
    client, sso_configuration, saml_response, hr_admin, break_glass
):
    # The HR admin adds an employee named like the owner account, with their own address.
    employee = employee_create(
        actor=Actor(channel=Channel.WEB, user=hr_admin),
        user_name="break.glass",
        given_name="Harry",
        family_name="Hradmin",
        work_email="harry@contoso.com",
    )

    response = post_acs(client, saml_response("harry@contoso.com"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "not linked to your employee record" in response.content.decode()
    assert SESSION_KEY not in client.session
    employee.refresh_from_db()
    assert employee.user_id is None
    refusal = SignInRefusal.objects.get()
    assert (refusal.reason, refusal.employee) == (RefusalReason.ACCOUNT_NOT_LINKED, employee)


def test_a_superuser_account_is_not_taken_over_either(client, sso_configuration, saml_response):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    employee = EmployeeFactory(user_name="ROOT", work_email="mallory@contoso.com")

    response = post_acs(client, saml_response("mallory@contoso.com"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert SESSION_KEY not in client.session
    employee.refresh_from_db()
    assert employee.user_id is None


def test_renaming_an_employee_to_an_account_name_is_allowed_and_grants_nothing(
    client, sso_configuration, saml_response, web_actor, break_glass
):
    employee = EmployeeFactory(user_name="harry@contoso.com")

    employee_update(employee=employee, actor=web_actor, data={"user_name": "Break.Glass"})
    response = post_acs(client, saml_response("break.glass"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert SESSION_KEY not in client.session
    assert Employee.objects.get(pk=employee.pk).user_id is None


def test_staff_cannot_link_an_account_by_editing_the_employee_in_the_admin(client, owner):
    staff = HRAdminFactory(username="stella.staff", is_staff=True)
    client.force_login(staff)
    employee = EmployeeFactory(user_name="stella@contoso.com")
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None
    }
    data.update({"manager": "", "user": str(owner.pk), "_save": "Save"})

    client.post(url, data)

    assert Employee.objects.get(pk=employee.pk).user_id is None
    assert "user" not in form.fields


def admin_link(client, *employees, confirm=False):
    data = {
        "action": "link_sign_in_account",
        "_selected_action": [str(employee.pk) for employee in employees],
    }
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse(CHANGELIST), data)


@pytest.fixture
def owner_staff_client(client, owner):
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    client.force_login(owner)
    return client


def test_owner_links_an_account_after_confirming_and_the_link_is_in_history(
    owner_staff_client, owner, sso_configuration, saml_response, client
):
    account = UserFactory(username="alice@contoso.com")
    employee = EmployeeFactory(user_name="Alice@contoso.com")

    confirmation = admin_link(owner_staff_client, employee)

    assert confirmation.status_code == HTTPStatus.OK
    page = confirmation.content.decode()
    assert "Link sign-in accounts" in page
    assert "alice@contoso.com" in page
    assert Employee.objects.get(pk=employee.pk).user_id is None

    done = admin_link(owner_staff_client, employee, confirm=True)

    assert done.status_code == HTTPStatus.FOUND
    assert Employee.objects.get(pk=employee.pk).user_id == account.pk
    change = EmployeeChange.objects.get(employee=employee)
    assert (change.action, change.channel, change.actor_user, change.changes) == (
        ChangeAction.UPDATED,
        Channel.ADMIN,
        owner,
        {"user": [None, "alice@contoso.com"]},
    )
    owner_staff_client.logout()
    post_acs(client, saml_response("alice@contoso.com"))
    assert client.session[SESSION_KEY] == str(account.pk)


def test_owner_and_superuser_accounts_are_never_linked(owner_staff_client, break_glass):
    UserFactory(username="root", is_superuser=True)
    owned = EmployeeFactory(user_name="break.glass")
    rooted = EmployeeFactory(user_name="root")

    page = admin_link(owner_staff_client, owned, rooted).content.decode()
    admin_link(owner_staff_client, owned, rooted, confirm=True)

    assert "Owner and superuser accounts are never linked to an employee." in page
    assert Employee.objects.filter(user__isnull=False).count() == 0
    assert not EmployeeChange.objects.exists()


def test_an_account_linked_to_someone_else_is_not_moved(owner_staff_client):
    account = UserFactory(username="alice@contoso.com")
    EmployeeFactory(user_name="alice.old@contoso.com", user=account)
    employee = EmployeeFactory(user_name="alice@contoso.com")

    page = admin_link(owner_staff_client, employee).content.decode()
    admin_link(owner_staff_client, employee, confirm=True)

    assert "already linked to another employee" in page
    assert Employee.objects.get(pk=employee.pk).user_id is None


def test_hr_admins_in_the_admin_cannot_link(client):
    staff = HRAdminFactory(username="stella.staff", is_staff=True)
    client.force_login(staff)
    UserFactory(username="alice@contoso.com")
    employee = EmployeeFactory(user_name="alice@contoso.com")

    actions = client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices
    admin_link(client, employee, confirm=True)

    assert "link_sign_in_account" not in [name for name, _ in actions]
    assert Employee.objects.get(pk=employee.pk).user_id is None


def test_owner_unlinks_an_account_and_the_unlink_is_in_history(owner_staff_client, owner):
    account = UserFactory(username="alice@contoso.com")
    employee = EmployeeFactory(user_name="alice@contoso.com", user=account)

    owner_staff_client.post(
        reverse(CHANGELIST),
        {
            "action": "unlink_sign_in_account",
            "_selected_action": [str(employee.pk)],
            "confirm": "yes",
        },
    )

    assert Employee.objects.get(pk=employee.pk).user_id is None
    change = EmployeeChange.objects.get(employee=employee)
    assert (change.actor_user, change.changes) == (owner, {"user": ["alice@contoso.com", None]})


@pytest.mark.parametrize("privilege", ["owner role", "superuser"])
def test_a_linked_account_later_made_an_owner_cannot_sign_in_with_sso(
    client, sso_configuration, saml_response, web_actor, privilege
):
    # Olivia's account was made by her first sign-in; an owner then made her an owner.
    olivia = EmployeeFactory(user_name="olivia@contoso.com")
    post_acs(client, saml_response("olivia@contoso.com"))
    client.logout()
    olivia.refresh_from_db()
    if privilege == "superuser":
        type(olivia.user).objects.filter(pk=olivia.user_id).update(is_superuser=True)
    else:
        olivia.user.groups.add(Group.objects.get(name=OWNER))
    # An HR admin points her record at their own Microsoft account.
    employee_update(employee=olivia, actor=web_actor, data={"work_email": "harry@contoso.com"})

    response = post_acs(client, saml_response("harry@contoso.com"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "sign in with their user name and password" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert SignInRefusal.objects.get().reason == RefusalReason.OWNER_ACCOUNT
