"""Error pages people can read, and signing out with a confirmation."""

from http import HTTPStatus

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_friendly_404_without_the_url_list(hr_admin_client):
    response = hr_admin_client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    page = response.content.decode()
    assert "We cannot find this page" in page
    assert 'href="/employees/"' in page
    assert "URLconf" not in page


def test_a_server_error_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
        unavailable = render_to_string("503.html")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()
    assert "Alexis is unavailable for a moment" in unavailable


def test_sign_out_asks_first_then_confirms(employee_client):
    page = employee_client.get("/accounts/sign-out/")
    assert page.status_code == HTTPStatus.OK
    assert "Sign out of Alexis?" in page.content.decode()

    response = employee_client.post("/accounts/sign-out/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/sign-in/"
    assert "You are signed out." in response.content.decode()
    assert employee_client.get("/me/").status_code == HTTPStatus.FOUND


def test_sign_out_page_sends_visitors_to_sign_in(client):
    response = client.get("/accounts/sign-out/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/sign-in/"
