"""Property-based fuzzing of the SCIM endpoint: generated filters, PATCH bodies, query strings.

Whatever arrives: never a 5xx, every error is an RFC 7644 §3.12 SCIM error recorded in the
provisioning log, and a refused write changes nothing.
"""

import pytest
from django.forms.models import model_to_dict
from hypothesis import given
from hypothesis import strategies as st

from employees.models import Employee
from provisioning.models import ProvisioningEvent
from tests.factories import EmployeeFactory
from tests.fuzz import (
    FUZZ_SETTINGS,
    USER_ATTRIBUTES,
    dumps,
    json_values,
    literal,
    nasty_text,
    query,
    query_values,
    scim_filters,
)
from tests.scim_api.conftest import ERROR, PATCH_OP

pytestmark = pytest.mark.django_db

SCIM_JSON = "application/scim+json"


def assert_scim_answer(response, *, ok=(200,)):
    """Assert a SCIM success or a well-formed SCIM 4xx, recorded with the same status."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code in ok or response.status_code == 204:
        return
    assert response.status_code >= 400, response.status_code
    assert response["Content-Type"].startswith(SCIM_JSON)
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(response.status_code)
    assert body["detail"]
    assert ProvisioningEvent.objects.latest("id").status == response.status_code


@FUZZ_SETTINGS
@given(filter_text=scim_filters())
def test_generated_filters_never_fail_the_server(scim_client, filter_text):
    response = scim_client.get("/scim/v2/Users?" + query({"filter": filter_text}))

    assert_scim_answer(response)
    if response.status_code == 400:
        assert response.json()["scimType"] in {"invalidFilter", "invalidValue"}


@FUZZ_SETTINGS
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder"]
            ),
            nasty_text,
        ),
        query_values,
        max_size=4,
    )
)
def test_generated_query_strings_never_fail_the_server(scim_client, params):
    EmployeeFactory.create_batch(2) if not Employee.objects.exists() else None

    assert_scim_answer(scim_client.get("/scim/v2/Users?" + query(params)))


operations = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove", "Replace", "move", ""])},
    optional={
        "path": st.one_of(
            st.sampled_from(USER_ATTRIBUTES),
            literal.map(lambda text: f'emails[value eq "{text}"].value'),
            nasty_text,
        ),
        "value": json_values,
    },
)


@FUZZ_SETTINGS
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {"schemas": st.just([PATCH_OP]), "Operations": st.lists(operations, max_size=3)}
        ),
        json_values,
    )
)
def test_generated_patch_bodies_never_fail_and_a_refusal_changes_nothing(scim_client, body):
    employee = Employee.objects.first() or EmployeeFactory(user_name="fuzz@contoso.com")
    before = model_to_dict(Employee.objects.get(pk=employee.pk))

    response = scim_client.patch(
        f"/scim/v2/Users/{employee.public_id}", dumps(body), content_type=SCIM_JSON
    )

    assert_scim_answer(response)
    if response.status_code >= 400:
        assert model_to_dict(Employee.objects.get(pk=employee.pk)) == before


@FUZZ_SETTINGS
@given(
    overrides=st.dictionaries(
        st.sampled_from(["userName", "displayName", "title", "name", "emails", "active", "x"]),
        json_values,
        max_size=4,
    )
)
def test_generated_user_bodies_never_fail_and_a_refusal_creates_nothing(scim_client, overrides):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "new@contoso.com",
        **overrides,
    }
    count = Employee.objects.count()

    response = scim_client.post("/scim/v2/Users", dumps(body), content_type=SCIM_JSON)

    assert_scim_answer(response, ok=(201,))
    if response.status_code >= 400:
        assert Employee.objects.count() == count
    else:
        Employee.objects.filter(public_id=response.json()["id"]).delete()
