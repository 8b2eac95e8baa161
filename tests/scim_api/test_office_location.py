"""Entra's office location (addresses[type eq "other"].formatted) lands on the location record."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from organisation.models import Location, LocationAlias
from organisation.services import organisation_settings_update
from tests.scim_api.conftest import entra_create_body

pytestmark = pytest.mark.django_db

OTHER = 'addresses[type eq "other"].formatted'


def test_create_resolves_the_office_location_and_answers_with_the_current_name(scim):
    hq = Location.objects.create(name="Stockholm HQ")
    response = scim.post(
        "Users",
        entra_create_body(
            addresses=[
                {"type": "work", "locality": "Stockholm", "country": "SE"},
                {"type": "other", "formatted": "  stockholm hq "},
            ]
        ),
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    employee = Employee.objects.get()
    assert employee.location_record == hq
    assert employee.location == "Stockholm HQ"
    assert response.json()["addresses"] == [{"type": "other", "formatted": "Stockholm HQ"}]


def test_patch_with_entras_path_and_an_old_name(scim):
    hq = Location.objects.create(name="Stockholm HQ")
    LocationAlias.objects.create(record=hq, name="Sthlm office")
    user = scim.post("Users", entra_create_body()).json()
    assert "addresses" not in user
    response = scim.patch_ops(user["id"], {"op": "Add", "path": OTHER, "value": "Sthlm office"})
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["addresses"] == [{"type": "other", "formatted": "Stockholm HQ"}]
    assert Employee.objects.get().location_record == hq
    found = scim.get('Users?filter=addresses[type eq "other"].formatted eq "stockholm hq"')
    assert found.json()["totalResults"] == 1


def test_an_unknown_office_creates_a_location_for_review_or_is_refused(scim):
    user = scim.post("Users", entra_create_body()).json()
    scim.patch_ops(user["id"], {"op": "Replace", "path": OTHER, "value": "Gothenburg"})
    created = Location.objects.get(name="Gothenburg")
    assert created.created_by_provisioning
    organisation_settings_update(provisioning_creates_records=False)
    response = scim.patch_ops(user["id"], {"op": "Replace", "path": OTHER, "value": "Malmö"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert response.json()["detail"] == (
        'addresses[type eq "other"].formatted “Malmö” matches no location in Alexis, and '
        "owners have turned off creating locations from provisioning."
    )
    assert Employee.objects.get().location == "Gothenburg"


def test_the_work_address_alone_is_ignored_with_a_warning(scim):
    response = scim.post(
        "Users", entra_create_body(addresses=[{"type": "work", "locality": "Arlington"}])
    )
    assert response.status_code == HTTPStatus.CREATED
    assert Employee.objects.get().location == ""
