"""Deprovisioning ends access: deactivating or deleting an employee ends their sessions."""

from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from employees.models import Channel
from employees.services import (
    Actor,
    employee_deactivate,
    employee_delete,
    employee_reactivate,
    employee_update,
)
from sso.models import RefusalReason, SignInRefusal, UserSession
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

SCIM = Actor(channel=Channel.SCIM)


@pytest.fixture
def alice(db):
    return EmployeeFactory(user_name="alice@contoso.com")


@pytest.fixture
def alice_client(client, sso_configuration, saml_response, alice):
    """A browser signed in as Alice through single sign-on."""
    response = client.post("/sso/acs/", {"SAMLResponse": saml_response("alice@contoso.com")})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/").status_code == HTTPStatus.OK
    alice.refresh_from_db()
    return client


def assert_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/sign-in/?next=/"


def test_scim_deactivation_ends_a_live_session(alice_client, alice):
    session_key = alice_client.session.session_key
    assert UserSession.objects.filter(user=alice.user, session_key=session_key).exists()

    employee_deactivate(employee=alice, actor=SCIM)

    assert_sent_to_sign_in(alice_client)
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=alice.user).exists()
    alice.user.refresh_from_db()
    assert alice.user.is_active is False


def test_scim_deletion_ends_a_live_session(alice_client, alice):
    employee_delete(employee=alice, actor=SCIM)

    assert_sent_to_sign_in(alice_client)
    alice.user.refresh_from_db()
    assert alice.user.is_active is False


def test_deactivation_through_an_update_ends_sessions_too(alice_client, alice):
    employee_update(employee=alice, actor=SCIM, data={"active": False, "title": "Former"})

    assert_sent_to_sign_in(alice_client)


def test_every_session_of_the_user_ends(sso_configuration, saml_response, alice):
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.post("/sso/acs/", {"SAMLResponse": saml_response("alice@contoso.com")})
        assert browser.get("/").status_code == HTTPStatus.OK
    alice.refresh_from_db()

    employee_deactivate(employee=alice, actor=SCIM)

    for browser in browsers:
        assert_sent_to_sign_in(browser)


def test_password_sessions_of_a_linked_user_end_too(client):
    user = UserFactory(username="hana.hr")
    employee = EmployeeFactory(user_name="hana@contoso.com", user=user)
    assert client.login(
        request=RequestFactory().post("/accounts/sign-in/"),
        username="hana.hr",
        password="correct horse battery staple",
    )
    assert client.get("/").status_code == HTTPStatus.OK

    employee_deactivate(employee=employee, actor=SCIM)

    assert_sent_to_sign_in(client)
    assert not client.login(
        request=RequestFactory().post("/accounts/sign-in/"),
        username="hana.hr",
        password="correct horse battery staple",
    )


def test_other_people_keep_their_sessions(alice_client, alice):
    bob_user = UserFactory(username="bob@contoso.com")
    EmployeeFactory(user_name="bob@contoso.com", user=bob_user)
    bob_client = Client()
    bob_client.force_login(bob_user)

    employee_deactivate(employee=alice, actor=SCIM)

    assert bob_client.get("/").status_code == HTTPStatus.OK
    bob_user.refresh_from_db()
    assert bob_user.is_active is True


def test_reactivation_lets_the_employee_sign_in_again(alice_client, alice, saml_response):
    employee_deactivate(employee=alice, actor=SCIM)
    refused = alice_client.post("/sso/acs/", {"SAMLResponse": saml_response("alice@contoso.com")})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.get().reason == RefusalReason.INACTIVE_EMPLOYEE

    employee_reactivate(employee=alice, actor=SCIM)
    response = alice_client.post("/sso/acs/", {"SAMLResponse": saml_response("alice@contoso.com")})

    assert response.status_code == HTTPStatus.FOUND
    assert alice_client.get("/").status_code == HTTPStatus.OK
    alice.user.refresh_from_db()
    assert alice.user.is_active is True


def test_employee_without_a_user_is_deactivated_quietly(alice):
    employee = employee_deactivate(employee=alice, actor=SCIM)

    assert employee.active is False
    assert employee.user is None
