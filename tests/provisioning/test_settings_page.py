"""Settings > Provisioning: the country of phone numbers Entra sends without a country code."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from provisioning.models import ProvisioningSettings, ProvisioningSettingsChange
from tests.scim_api.conftest import Scim, entra_create_body

pytestmark = pytest.mark.django_db

URL = "/settings/provisioning/"
NATIONAL = [{"type": "work", "value": "(617) 555-1212"}]


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def test_signed_out_visitors_sign_in_first(client):
    assert client.get(URL).status_code == HTTPStatus.FOUND


def test_hr_admins_may_not_change_it(hr_admin_client):
    assert hr_admin_client.get(URL).status_code == HTTPStatus.FORBIDDEN
    response = hr_admin_client.post(URL, {"phone_default_region": "US"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ProvisioningSettings.objects.exists()


def test_owners_see_the_page(owner_client):
    page = owner_client.get(URL)

    assert page.status_code == HTTPStatus.OK
    assert "Country of phone numbers without a country code" in page.content.decode()
    assert "No recorded changes." in page.content.decode()


def test_saving_a_country_records_it_and_its_history(owner_client, owner):
    response = owner_client.post(URL, {"phone_default_region": "US"}, follow=True)

    assert response.redirect_chain == [(URL, HTTPStatus.FOUND)]
    assert ProvisioningSettings.objects.get().phone_default_region == "US"
    change = ProvisioningSettingsChange.objects.get()
    assert (change.changes, change.actor_user, change.channel) == (
        {"phone_default_region": ["", "US"]},
        owner,
        "web",
    )
    page = response.content.decode()
    assert "Saved the provisioning settings." in page
    assert "<ins>US (+1)</ins>" in page

    owner_client.post(URL, {"phone_default_region": "US"})  # unchanged: no new entry
    assert ProvisioningSettingsChange.objects.count() == 1


def test_an_unknown_country_is_refused_beside_the_field(owner_client):
    response = owner_client.post(URL, {"phone_default_region": "ZZ"})

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice." in response.content.decode()
    assert not ProvisioningSettings.objects.exists()


def test_scim_reads_numbers_of_the_country_the_owner_saved(scim, owner_client):
    body = entra_create_body(phoneNumbers=NATIONAL)
    refused = scim.post("Users", body)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["scimType"] == "invalidValue"
    assert "phoneNumbers" in refused.json()["detail"]

    owner_client.post(URL, {"phone_default_region": "US"})
    created = scim.post("Users", body)

    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["phoneNumbers"] == [{"value": "(617) 555-1212", "type": "work"}]
    assert Employee.objects.get().work_phone == "+16175551212"


def test_the_environment_gives_the_country_until_an_owner_saves_one(scim, owner_client, settings):
    settings.SCIM_PHONE_DEFAULT_REGION = "US"
    assert 'value="US" selected' in owner_client.get(URL).content.decode()
    assert scim.post("Users", entra_create_body(phoneNumbers=NATIONAL)).status_code == 201

    owner_client.post(URL, {"phone_default_region": ""})  # None: refuse such numbers
    refused = scim.post(
        "Users", entra_create_body("second@contoso.com", externalId="ext-2", phoneNumbers=NATIONAL)
    )

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert ProvisioningSettingsChange.objects.get().changes == {"phone_default_region": ["US", ""]}
