"""The API guide page: docs/public-api.md rendered, public, linked from the Swagger UI page."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_guide_is_rendered_for_anyone(client):
    response = client.get("/api/v1/guide/")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<h1>Public REST API</h1>" in page
    assert "<table>" in page
    assert "Who can read the docs and the schema" in page


def test_swagger_description_links_the_guide_and_access_tokens(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    description = schema["info"]["description"]
    assert "[API guide](/api/v1/guide/)" in description
    assert "(/settings/access-tokens/)" in description
    assert "docs/public-api.md" not in description
