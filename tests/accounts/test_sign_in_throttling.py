"""Failed password sign-ins are throttled per account and per address (django-axes)."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed sign-in attempts for this account or from this address."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def sign_in(username, password, *, ip="203.0.113.10", path="/accounts/sign-in/"):
    client = Client(REMOTE_ADDR=ip)
    return client, client.post(path, {"username": username, "password": password})


def test_the_owner_is_locked_out_after_five_wrong_passwords_and_it_ends_by_itself():
    OwnerFactory(username="owner")
    statuses = [sign_in("owner", f"guess-{n}")[1].status_code for n in range(5)]
    # The form again with its error, then the fifth failure locks the account.
    assert statuses == [HTTPStatus.OK] * 4 + [HTTPStatus.TOO_MANY_REQUESTS]

    _, locked = sign_in("owner", PASSWORD)

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(locked["Retry-After"]) == 15 * 60
    page = locked.content.decode()
    assert LOCKED in page
    assert "try again in 15 minutes" in page
    assert 'name="username"' in page  # the sign-in form, not a bare error

    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client, after = sign_in("owner", PASSWORD)

    assert after.status_code == HTTPStatus.FOUND
    assert client.get("/").wsgi_request.user.username == "owner"


def test_one_account_is_locked_from_every_address():
    UserFactory(username="hana")
    for n in range(5):
        sign_in("hana", "wrong", ip=f"198.51.100.{n + 1}")

    _, response = sign_in("hana", PASSWORD, ip="192.0.2.77")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_one_address_is_locked_whatever_the_account():
    UserFactory(username="hana")
    for n in range(5):
        sign_in(f"someone-{n}", "wrong")

    _, locked = sign_in("hana", PASSWORD)
    _, elsewhere = sign_in("hana", PASSWORD, ip="192.0.2.78")

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_a_success_before_the_limit_resets_the_count():
    UserFactory(username="hana")
    for _ in range(4):
        sign_in("hana", "wrong")
    assert sign_in("hana", PASSWORD)[1].status_code == HTTPStatus.FOUND

    for _ in range(4):
        sign_in("hana", "wrong")

    assert sign_in("hana", PASSWORD)[1].status_code == HTTPStatus.FOUND


def test_the_django_admin_login_is_throttled_too():
    OwnerFactory(username="owner", is_staff=True, is_superuser=True)
    for n in range(4):
        _, response = sign_in("owner", f"guess-{n}", path="/admin/login/")
        assert response.status_code == HTTPStatus.OK
    sign_in("owner", "guess-5", path="/admin/login/")

    _, locked = sign_in("owner", PASSWORD, path="/admin/login/")

    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert LOCKED in locked.content.decode()
    assert "Alexis administration" in locked.content.decode()
