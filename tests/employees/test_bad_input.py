"""Bad input in a page's query string is a 400 page, not a 500."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/employees/suggestions/?q=%00", "/org-chart/?start=%00", "/?q=a%00b"]
)
def test_a_nul_in_a_page_query_is_a_400_page(hr_admin_client, path):
    response = hr_admin_client.get(path)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("text/html")
    assert b"must not contain NUL characters" in response.content
