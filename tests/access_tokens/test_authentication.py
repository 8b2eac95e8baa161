import datetime as dt
import hmac
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone

from access_tokens.authentication import TokenCheck, check_request
from access_tokens.crypto import checksum, generate_token, token_digest
from access_tokens.models import AccessToken, Scope
from access_tokens.selectors import access_token_list, token_status
from access_tokens.services import access_token_create, access_token_revoke
from accounts.roles import OWNER
from employees.models import Employee
from employees.services import Actor, employee_deactivate
from tests.factories import EmployeeFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = 'Bearer realm="alexis"'


def bearer(raw: str, **extra):
    return RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def status_in_list(token: AccessToken) -> tuple[str, str]:
    return token_status(access_token_list().get(pk=token.pk))


def test_valid_token_with_the_scope_is_accepted(scim_token):
    check = check_request(bearer(scim_token.plaintext), Scope.SCIM)

    assert check == TokenCheck(status=HTTPStatus.OK, token=check.token, scope=Scope.SCIM)
    assert check.ok
    assert check.token.pk == scim_token.token.pk


def test_scheme_is_case_insensitive(scim_token):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"bearer {scim_token.plaintext}")

    assert check_request(request, scope=Scope.SCIM).status == HTTPStatus.OK


def test_secret_is_compared_in_constant_time(scim_token):
    with mock.patch("hmac.compare_digest", wraps=hmac.compare_digest) as compare:
        check = check_request(bearer(scim_token.plaintext), Scope.SCIM)

    assert check.status == HTTPStatus.OK
    stored = AccessToken.objects.get(pk=scim_token.token.pk).digest
    assert mock.call(stored, token_digest(scim_token.plaintext)) in compare.call_args_list


def test_token_without_the_scope_gets_403(owner):
    created = access_token_create(name="Reports", scopes=[Scope.API_READ], created_by=owner)

    check = check_request(bearer(created.plaintext), Scope.SCIM)

    assert check.status == HTTPStatus.FORBIDDEN
    assert check.token.pk == created.token.pk
    assert check.www_authenticate == (
        'Bearer realm="alexis", error="insufficient_scope", scope="scim"'
    )
    assert AccessToken.objects.get(pk=created.token.pk).last_used_at is None


def _unknown(owner):
    return generate_token()


def _malformed(owner):
    return "not-a-token"


def _wrong_secret_same_prefix(owner):
    created = access_token_create(name="Real", scopes=[Scope.SCIM], created_by=owner)
    body = created.plaintext[4:14] + generate_token()[14:58]
    return f"alx_{body}{checksum(body)}"


def _revoked(owner):
    created = access_token_create(name="Revoked", scopes=[Scope.SCIM], created_by=owner)
    access_token_revoke(token=created.token, revoked_by=owner)
    return created.plaintext


def _expired(owner):
    created = access_token_create(name="Expired", scopes=[Scope.SCIM], created_by=owner)
    AccessToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    return created.plaintext


def _wrong_hash_key(owner):
    created = access_token_create(name="Other key", scopes=[Scope.SCIM], created_by=owner)
    AccessToken.objects.filter(pk=created.token.pk).update(
        digest=hmac.new(b"another-key", created.plaintext.encode(), "sha256").hexdigest()
    )
    return created.plaintext


@pytest.mark.parametrize(
    "make_raw",
    [_unknown, _malformed, _wrong_secret_same_prefix, _revoked, _expired, _wrong_hash_key],
)
def test_unusable_tokens_are_refused_alike_with_401(owner, make_raw):
    check = check_request(bearer(make_raw(owner)), Scope.SCIM)

    assert check == TokenCheck(status=HTTPStatus.UNAUTHORIZED, token=None, scope=Scope.SCIM)
    assert check.www_authenticate == REFUSED
    assert AccessToken.objects.filter(last_used_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token alx_abc"],
)
def test_missing_or_other_authorization_is_refused_with_401(scim_token, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    check = check_request(RequestFactory().get("/", **extra), Scope.SCIM)

    assert check == TokenCheck(status=HTTPStatus.UNAUTHORIZED, token=None, scope=Scope.SCIM)


def test_expiry_is_checked_at_the_moment_of_use(owner):
    created = access_token_create(
        name="Short", scopes=[Scope.SCIM], created_by=owner, expires_in_days=30
    )
    assert check_request(bearer(created.plaintext), Scope.SCIM).ok

    later = timezone.now() + dt.timedelta(days=30, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        check = check_request(bearer(created.plaintext), Scope.SCIM)
        status = status_in_list(created.token)

    assert check.status == HTTPStatus.UNAUTHORIZED
    assert status == ("expired", "")


def test_creator_deactivated_stops_the_token_and_the_list_says_why(owner, scim_token):
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).status == 401
    assert status_in_list(scim_token.token) == (
        "inactive",
        "Its creator's account is deactivated.",
    )


def test_creator_losing_the_owner_role_stops_the_token_and_the_list_says_why(owner, scim_token):
    owner.groups.remove(Group.objects.get(name=OWNER))

    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).status == 401
    assert status_in_list(scim_token.token) == (
        "inactive",
        "Its creator no longer holds the Owner role.",
    )

    owner.groups.add(Group.objects.get(name=OWNER))
    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).ok
    assert status_in_list(scim_token.token) == ("active", "")


@pytest.mark.parametrize(
    "ended", [{"active": False}, {"active": False, "deleted_at": timezone.now()}]
)
def test_creator_whose_employee_record_ended_stops_the_token(owner, scim_token, ended):
    employee = EmployeeFactory(user=owner, user_name="olivia.owner@contoso.com")
    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).ok

    Employee.objects.filter(pk=employee.pk).update(**ended)

    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).status == 401
    assert status_in_list(scim_token.token) == (
        "inactive",
        "Its creator is no longer an active employee.",
    )


def test_deactivating_the_creator_as_an_employee_stops_the_token(owner, scim_token):
    employee = EmployeeFactory(user=owner, user_name="olivia.owner@contoso.com")

    employee_deactivate(employee=employee, actor=Actor.system())

    assert check_request(bearer(scim_token.plaintext), Scope.SCIM).status == 401
    assert status_in_list(scim_token.token)[0] == "inactive"


def test_superuser_tokens_work_without_the_owner_group():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    created = access_token_create(name="Root", scopes=[Scope.SCIM], created_by=admin)

    assert check_request(bearer(created.plaintext), Scope.SCIM).ok


@pytest.mark.parametrize("other_tokens", [0, 40])
def test_a_check_costs_one_query_whatever_the_number_of_tokens(
    owner, scim_token, other_tokens, django_assert_num_queries
):
    creator = OwnerFactory(username="another.owner")
    for number in range(other_tokens):
        access_token_create(name=f"Token {number}", scopes=[Scope.SCIM], created_by=creator)
    request = bearer(scim_token.plaintext)

    with django_assert_num_queries(2):  # the lookup, and the first last-used stamp
        assert check_request(request, Scope.SCIM).ok
    for _ in range(3):
        with django_assert_num_queries(1):
            assert check_request(request, Scope.SCIM).ok
    with django_assert_num_queries(1):
        assert check_request(bearer(generate_token()), Scope.SCIM).status == 401


def test_last_used_is_written_at_most_once_a_minute(scim_token):
    pk = scim_token.token.pk
    assert check_request(bearer(scim_token.plaintext, REMOTE_ADDR="203.0.113.5"), "scim").ok
    first = AccessToken.objects.get(pk=pk)
    assert first.last_used_ip == "203.0.113.5"
    assert timezone.now() - first.last_used_at < dt.timedelta(seconds=5)

    assert check_request(bearer(scim_token.plaintext, REMOTE_ADDR="198.51.100.7"), "scim").ok
    second = AccessToken.objects.get(pk=pk)
    assert (second.last_used_at, second.last_used_ip) == (first.last_used_at, "203.0.113.5")

    later = first.last_used_at + dt.timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert check_request(bearer(scim_token.plaintext, REMOTE_ADDR="198.51.100.7"), "scim").ok
    third = AccessToken.objects.get(pk=pk)
    assert (third.last_used_at, third.last_used_ip) == (later, "198.51.100.7")


def test_client_ip_comes_from_the_trusted_proxy_only(scim_token, settings):
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.44, 10.0.0.1"}
    settings.ALEXIS_TRUSTED_PROXY_COUNT = 0
    assert check_request(bearer(scim_token.plaintext, **forwarded), Scope.SCIM).ok
    assert AccessToken.objects.get(pk=scim_token.token.pk).last_used_ip == "10.0.0.2"

    AccessToken.objects.update(last_used_at=None)
    settings.ALEXIS_TRUSTED_PROXY_COUNT = 1
    assert check_request(bearer(scim_token.plaintext, **forwarded), Scope.SCIM).ok
    assert AccessToken.objects.get(pk=scim_token.token.pk).last_used_ip == "10.0.0.1"


def test_revoke_takes_effect_on_the_next_request(owner, scim_token):
    request = bearer(scim_token.plaintext)
    assert check_request(request, Scope.SCIM).ok

    access_token_revoke(token=scim_token.token, revoked_by=owner)

    assert check_request(request, Scope.SCIM).status == HTTPStatus.UNAUTHORIZED


def test_status_of_a_token_read_without_the_selectors_asks_directly(owner, scim_token):
    employee = EmployeeFactory(user=owner, user_name="olivia.owner@contoso.com")
    plain = AccessToken.objects.select_related("created_by").get(pk=scim_token.token.pk)
    assert token_status(plain) == ("active", "")

    Employee.objects.filter(pk=employee.pk).update(active=False)
    plain = AccessToken.objects.select_related("created_by").get(pk=scim_token.token.pk)
    assert token_status(plain) == ("inactive", "Its creator is no longer an active employee.")

    Employee.objects.filter(pk=employee.pk).update(active=True)
    owner.groups.clear()
    plain = AccessToken.objects.select_related("created_by").get(pk=scim_token.token.pk)
    assert token_status(plain) == ("inactive", "Its creator no longer holds the Owner role.")
