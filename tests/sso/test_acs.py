"""The assertion consumer service: IdP-initiated sign-in and every way a response is refused."""

import datetime as dt
import logging
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils import timezone

from employees.models import Channel
from employees.services import Actor, employee_deactivate, employee_delete
from sso.models import RefusalReason, SignInRefusal, SsoConfiguration, UsedAssertion
from tests.factories import EmployeeFactory, UserFactory
from tests.sso.conftest import ACS_URL, SP_ENTITY_ID
from tests.sso.idp import TestIdentityProvider, make_certificate

pytestmark = pytest.mark.django_db

GENERIC = "Alexis could not accept this sign-in from Microsoft."


def post_acs(client, saml_response, relay_state=None):
    data = {"SAMLResponse": saml_response}
    if relay_state is not None:
        data["RelayState"] = relay_state
    return client.post("/sso/acs/", data)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def test_idp_initiated_sign_in_creates_and_links_a_user(client, sso_configuration, saml_response):
    employee = EmployeeFactory(
        user_name="alice@contoso.com", given_name="Alice", family_name="Archer"
    )

    response = post_acs(client, saml_response("Alice@Contoso.com"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    employee.refresh_from_db()
    user = employee.user
    assert user is not None
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "alice@contoso.com",
        "Alice",
        "Archer",
        employee.work_email,
    )
    assert not user.has_usable_password()
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get("/").status_code == HTTPStatus.OK
    assert UsedAssertion.objects.count() == 1
    assert not SignInRefusal.objects.exists()


def test_second_sign_in_reuses_the_linked_user(client, sso_configuration, saml_response):
    employee = EmployeeFactory(user_name="alice@contoso.com")
    post_acs(client, saml_response("alice@contoso.com"))
    client.logout()

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert get_user_model().objects.filter(username__iexact="alice@contoso.com").count() == 1
    assert signed_in_user_id(client) == str(employee.user_id)


def test_an_already_linked_user_signs_in_as_themselves(
    client, sso_configuration, saml_response, employee_user
):
    response = post_acs(client, saml_response("erin.employee@contoso.com"))

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_user_id(client) == str(employee_user.pk)


def test_matches_work_email_when_the_name_id_is_not_a_user_name(
    client, sso_configuration, saml_response
):
    employee = EmployeeFactory(
        user_name="bob@contoso.onmicrosoft.com", work_email="Bob@Contoso.com"
    )

    response = post_acs(client, saml_response("bob@contoso.com"))

    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert signed_in_user_id(client) == str(employee.user_id)


def test_matches_the_email_claim_when_the_name_id_is_an_object_id(
    client, sso_configuration, saml_response
):
    employee = EmployeeFactory(user_name="carol@contoso.com")

    response = post_acs(
        client,
        saml_response("2b1d4e5f-0000-4000-8000-00000000c0a1", email="CAROL@contoso.com"),
    )

    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert signed_in_user_id(client) == str(employee.user_id)


def test_user_name_match_wins_over_work_email_match(client, sso_configuration, saml_response):
    by_user_name = EmployeeFactory(user_name="dana@contoso.com", work_email="dana@contoso.com")
    EmployeeFactory(user_name="dana.old@contoso.com", work_email="dana@contoso.com")

    post_acs(client, saml_response("dana@contoso.com"))

    by_user_name.refresh_from_db()
    assert signed_in_user_id(client) == str(by_user_name.user_id)


@pytest.mark.parametrize(
    ("relay_state", "location"),
    [
        ("/employees/?page=2", "/employees/?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_relay_state_is_followed_only_to_local_paths(
    client, sso_configuration, saml_response, relay_state, location
):
    EmployeeFactory(user_name="alice@contoso.com")

    response = post_acs(client, saml_response("alice@contoso.com"), relay_state=relay_state)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("sign_assertion", "sign_response"),
    [(True, False), (False, True), (True, True)],
    ids=["assertion-signed", "response-signed", "both-signed"],
)
def test_accepts_a_signed_assertion_or_a_signed_response(
    client, sso_configuration, saml_response, sign_assertion, sign_response
):
    EmployeeFactory(user_name="alice@contoso.com")

    response = post_acs(
        client,
        saml_response(
            "alice@contoso.com", sign_assertion=sign_assertion, sign_response=sign_response
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_user_id(client) is not None


def assert_refused_invalid(client, response, detail):
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert GENERIC in response.content.decode()
    assert signed_in_user_id(client) is None
    refusal = SignInRefusal.objects.get()
    assert refusal.reason == RefusalReason.INVALID_RESPONSE
    assert detail in refusal.detail
    assert refusal.ip_address == "127.0.0.1"
    assert get_user_model().objects.filter(username="alice@contoso.com").count() == 0


@pytest.fixture
def alice(db):
    return EmployeeFactory(user_name="alice@contoso.com")


def test_unsigned_response_is_refused(client, sso_configuration, saml_response, alice):
    response = post_acs(client, saml_response("alice@contoso.com", sign_assertion=False))

    assert_refused_invalid(client, response, "No Signature found")


def test_response_signed_by_another_key_is_refused(client, sso_configuration, other_idp, alice):
    forged = other_idp.response(name_id="alice@contoso.com", acs_url=ACS_URL, audience=SP_ENTITY_ID)

    response = post_acs(client, forged)

    assert_refused_invalid(client, response, "Signature validation failed")


def test_tampered_assertion_is_refused(client, sso_configuration, saml_response, alice):
    EmployeeFactory(user_name="mallory@contoso.com")

    response = post_acs(
        client, saml_response("alice@contoso.com", tamper_name_id="mallory@contoso.com")
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert signed_in_user_id(client) is None
    assert "Signature validation failed" in SignInRefusal.objects.get().detail


def test_wrong_audience_is_refused(client, sso_configuration, saml_response, alice):
    response = post_acs(
        client, saml_response("alice@contoso.com", audience="https://other-app.example/")
    )

    assert_refused_invalid(client, response, "is not a valid audience")


def test_wrong_destination_is_refused(client, sso_configuration, saml_response, alice):
    response = post_acs(
        client, saml_response("alice@contoso.com", acs_url="https://other-app.example/acs")
    )

    assert_refused_invalid(client, response, "The response was received at")


def test_wrong_issuer_is_refused(client, sso_configuration, saml_response, alice, idp):
    idp.entity_id, original = "https://sts.windows.net/someone-else/", idp.entity_id
    try:
        response = post_acs(client, saml_response("alice@contoso.com"))
    finally:
        idp.entity_id = original

    assert_refused_invalid(client, response, "Invalid issuer")


def test_expired_response_is_refused(client, sso_configuration, saml_response, alice):
    issued_at = timezone.now() - dt.timedelta(hours=2)

    response = post_acs(client, saml_response("alice@contoso.com", issued_at=issued_at))

    assert_refused_invalid(client, response, "expired")


def test_response_from_the_future_is_refused(client, sso_configuration, saml_response, alice):
    issued_at = timezone.now() + dt.timedelta(minutes=30)

    response = post_acs(client, saml_response("alice@contoso.com", issued_at=issued_at))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.get().reason == RefusalReason.INVALID_RESPONSE


def test_small_clock_skew_is_allowed(client, sso_configuration, saml_response, alice):
    issued_at = timezone.now() + dt.timedelta(minutes=2)

    response = post_acs(client, saml_response("alice@contoso.com", issued_at=issued_at))

    assert response.status_code == HTTPStatus.FOUND


def test_sign_in_is_refused_once_the_configured_certificate_expires(
    client, sso_configuration, saml_response, alice, idp
):
    now = timezone.now()
    key, expired = make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(minutes=1)
    )
    # Saved while it was valid; it has aged since.
    SsoConfiguration.objects.filter(pk=sso_configuration.pk).update(idp_certificate=expired)
    old_idp = TestIdentityProvider(key_pem=key, certificate_pem=expired)

    response = post_acs(
        client,
        old_idp.response(name_id="alice@contoso.com", acs_url=ACS_URL, audience=SP_ENTITY_ID),
    )

    assert_refused_invalid(client, response, "The configured signing certificate expired on")


def test_replayed_assertion_is_refused(client, sso_configuration, saml_response, alice, caplog):
    saml = saml_response("alice@contoso.com")
    assert post_acs(client, saml).status_code == HTTPStatus.FOUND
    client.logout()

    with caplog.at_level(logging.WARNING, logger="sso"):
        response = post_acs(client, saml)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert GENERIC in response.content.decode()
    assert signed_in_user_id(client) is None
    refusal = SignInRefusal.objects.get()
    assert (refusal.reason, refusal.name_id) == (RefusalReason.REPLAYED, "alice@contoso.com")
    assert f"refusal={refusal.pk} reason=replayed" in caplog.text
    assert saml[:40] not in caplog.text


def test_overlong_assertion_id_is_refused(client, sso_configuration, saml_response, alice):
    response = post_acs(client, saml_response("alice@contoso.com", assertion_id="_" + "a" * 300))

    assert_refused_invalid(client, response, "The assertion has no usable ID")


def test_malformed_response_is_refused_without_an_error(client, sso_configuration):
    for garbage in [
        "not base64 !!",
        "PGZvbz4=",
        "",
        "PD94bWwgdmVyc2lvbj0iMS4wIj8+PCFET0NUWVBFIHg+",
    ]:
        response = post_acs(client, garbage)
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.filter(reason=RefusalReason.INVALID_RESPONSE).count() == 4


def test_refusals_from_one_ip_are_recorded_up_to_the_limit(client, sso_configuration, settings):
    settings.SSO_REFUSAL_LIMIT = 2

    statuses = [post_acs(client, "junk").status_code for _ in range(3)]

    assert statuses == [HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS]
    assert SignInRefusal.objects.count() == 2
    other_ip = client.post("/sso/acs/", {"SAMLResponse": "junk"}, REMOTE_ADDR="192.0.2.7")
    assert other_ip.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.count() == 3


def test_missing_saml_response_is_refused(client, sso_configuration):
    response = client.post("/sso/acs/", {})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert SignInRefusal.objects.get().reason == RefusalReason.INVALID_RESPONSE


def test_get_is_not_allowed(client, sso_configuration):
    assert client.get("/sso/acs/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_refused_when_single_sign_on_is_off(client, saml_response, alice):
    response = post_acs(client, saml_response("alice@contoso.com"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Sign-in with Microsoft is not turned on" in response.content.decode()
    assert SignInRefusal.objects.get().reason == RefusalReason.NOT_ENABLED


def assert_refused(client, response, reason, text, employee=None):
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert text in response.content.decode()
    assert signed_in_user_id(client) is None
    refusal = SignInRefusal.objects.get()
    assert (refusal.reason, refusal.name_id, refusal.employee) == (
        reason,
        "alice@contoso.com",
        employee,
    )


def test_unknown_employee_is_refused(client, sso_configuration, saml_response, caplog):
    EmployeeFactory(user_name="bob@contoso.com")

    with caplog.at_level(logging.WARNING, logger="sso"):
        response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client,
        response,
        RefusalReason.UNKNOWN_EMPLOYEE,
        "does not match any employee in Alexis",
    )
    assert "reason=unknown_employee" in caplog.text
    assert not get_user_model().objects.filter(username="alice@contoso.com").exists()


def test_inactive_employee_is_refused(client, sso_configuration, saml_response):
    employee = EmployeeFactory(user_name="alice@contoso.com", active=False)

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client, response, RefusalReason.INACTIVE_EMPLOYEE, "record in Alexis is inactive", employee
    )
    employee.refresh_from_db()
    assert employee.user is None


def test_deactivated_employee_with_a_linked_user_is_refused(
    client, sso_configuration, saml_response, alice
):
    post_acs(client, saml_response("alice@contoso.com"))
    client.logout()
    employee_deactivate(employee=alice, actor=Actor(channel=Channel.SCIM))

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client, response, RefusalReason.INACTIVE_EMPLOYEE, "record in Alexis is inactive", alice
    )


def test_deleted_employee_is_refused(client, sso_configuration, saml_response, alice):
    employee_delete(employee=alice, actor=Actor(channel=Channel.SCIM))

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client, response, RefusalReason.DELETED_EMPLOYEE, "has been removed from Alexis", alice
    )


def test_disabled_account_is_refused(client, sso_configuration, saml_response):
    user = UserFactory(username="alice@contoso.com", is_active=False)
    employee = EmployeeFactory(user_name="alice@contoso.com", user=user)

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client, response, RefusalReason.ACCOUNT_DISABLED, "Alexis account is disabled", employee
    )


def test_account_of_a_deleted_employee_is_not_handed_to_a_new_one(
    client, sso_configuration, saml_response, alice
):
    post_acs(client, saml_response("alice@contoso.com"))
    client.logout()
    employee_delete(employee=alice, actor=Actor(channel=Channel.SCIM))
    rehired = EmployeeFactory(user_name="alice@contoso.com")

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(client, response, RefusalReason.ACCOUNT_CONFLICT, "could not be linked", rehired)


def test_ambiguous_work_email_is_refused(client, sso_configuration, saml_response):
    EmployeeFactory(user_name="a1@contoso.com", work_email="alice@contoso.com")
    EmployeeFactory(user_name="a2@contoso.com", work_email="alice@contoso.com")

    response = post_acs(client, saml_response("alice@contoso.com"))

    assert_refused(
        client, response, RefusalReason.AMBIGUOUS_EMPLOYEE, "matches more than one employee"
    )


@pytest.mark.parametrize("employee_count", [5, 100])
def test_sign_in_queries_do_not_grow_with_employees(
    client, sso_configuration, saml_response, django_assert_max_num_queries, employee_count
):
    EmployeeFactory.create_batch(employee_count)
    EmployeeFactory(user_name="alice@contoso.com")
    saml = saml_response("alice@contoso.com")

    # Includes the savepoint around creating the account and the owner-role check.
    with django_assert_max_num_queries(29):
        response = post_acs(client, saml)

    assert response.status_code == HTTPStatus.FOUND
