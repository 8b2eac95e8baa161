"""Settings > Custom fields: owners only; errors beside the fields."""

from http import HTTPStatus

import pytest

from custom_fields.models import CustomField
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

LIST = "/settings/custom-fields/"
NEW = "/settings/custom-fields/new/"


@pytest.mark.parametrize("url", [LIST, NEW])
def test_only_owners_may_open_the_pages(client, hr_admin, employee_user, owner, url):
    assert client.get(url).status_code == HTTPStatus.FOUND  # to sign-in
    for user in (hr_admin, employee_user):
        client.force_login(user)
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(owner)
    assert client.get(url).status_code == HTTPStatus.OK


def test_hr_admins_cannot_post_a_field(hr_admin_client):
    response = hr_admin_client.post(NEW, {"label": "Badge", "field_type": "text"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not CustomField.objects.exists()


def test_empty_list_explains_what_custom_fields_are(owner_client):
    page = owner_client.get(LIST).content.decode()
    assert "No custom fields yet." in page
    assert 'href="/settings/custom-fields/"' in page  # in the Settings menu


def test_owner_adds_a_choice_field_with_a_name_made_from_the_label(owner_client):
    response = owner_client.post(
        NEW,
        {
            "label": "Badge colour",
            "name": "",
            "field_type": "choice",
            "choices_text": "Red\nGreen\n\nBlue",
            "required": "on",
            "visibility": "employee",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == LIST
    field = CustomField.objects.get()
    assert (field.name, field.choices, field.required, field.visibility) == (
        "badgeColour",
        ["Red", "Green", "Blue"],
        True,
        "employee",
    )
    page = owner_client.get(LIST).content.decode()
    assert "The custom field Badge colour was added." in page
    assert "<code>badgeColour</code>" in page
    assert "HR and the employee" in page


def test_errors_show_beside_their_fields(owner_client, django_db_blocker):
    owner_client.post(
        NEW, {"label": "Badge", "name": "badge", "field_type": "text", "visibility": "hr"}
    )
    response = owner_client.post(
        NEW,
        {"label": "badge", "name": "2 bad", "field_type": "choice", "visibility": "hr"},
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<p class="field-error" id="id_name_error">Use letters and digits only' in page
    assert '<p class="field-error" id="id_choices_text_error">Give at least one choice' in page
    response = owner_client.post(
        NEW, {"label": "BADGE", "name": "other", "field_type": "text", "visibility": "hr"}
    )
    assert (
        '<p class="field-error" id="id_label_error">A custom field with this label already exists.'
        in response.content.decode()
    )
    assert CustomField.objects.count() == 1


def test_edit_changes_label_and_visibility_but_not_name_or_type(owner_client, badge_color):
    url = f"/settings/custom-fields/{badge_color.pk}/"
    response = owner_client.post(
        url,
        {
            "label": "Badge",
            "name": "hacked",
            "field_type": "text",
            "choices_text": "Red\nYellow",
            "visibility": "everyone",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    badge_color.refresh_from_db()
    assert (badge_color.name, badge_color.field_type) == ("badgeColor", "choice")
    assert (badge_color.label, badge_color.choices, badge_color.visibility) == (
        "Badge",
        ["Red", "Yellow"],
        "everyone",
    )


def test_delete_asks_first_and_says_how_many_values_go(owner_client, badge_color):
    EmployeeFactory(custom_fields={"badgeColor": "Red"})
    EmployeeFactory(custom_fields={"badgeColor": "Blue"})
    url = f"/settings/custom-fields/{badge_color.pk}/delete/"
    page = owner_client.get(url).content.decode()
    assert "2 employees have a value for it" in page
    response = owner_client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert not CustomField.objects.exists()


def test_unknown_field_is_404(owner_client):
    assert owner_client.get("/settings/custom-fields/999/").status_code == HTTPStatus.NOT_FOUND
