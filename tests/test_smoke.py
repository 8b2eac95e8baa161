from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/sign-in/")


def test_signed_in_hr_admin_sees_headcount(hr_admin_client):
    response = hr_admin_client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert b"active employees" in response.content
