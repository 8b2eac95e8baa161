"""Property-based fuzzing of the public API: generated JSON bodies and query strings.

Whatever arrives: never a 5xx, every error has the API's JSON error shape, and a refused
write changes nothing.
"""

import pytest
from django.forms.models import model_to_dict
from hypothesis import given
from hypothesis import strategies as st

from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.fuzz import FUZZ_SETTINGS, dumps, json_values, nasty_text, query, query_values

pytestmark = pytest.mark.django_db

FIELDS = ["user_name", "work_email", "title", "manager_id", "active", "start_date", "department"]


def assert_api_answer(response, *, ok):
    assert response.status_code < 500, response.content[:500]
    if response.status_code in ok:
        return
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == response.status_code


json_bodies = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), nasty_text), json_values, max_size=5),
    json_values,
)


@FUZZ_SETTINGS
@given(body=json_bodies)
def test_generated_patch_bodies_never_fail_and_a_refusal_changes_nothing(api_client, body):
    employee = Employee.objects.first() or EmployeeFactory(user_name="fuzz@contoso.com")
    before = model_to_dict(Employee.objects.get(pk=employee.pk))

    response = api_client.generic(
        "PATCH", f"/api/v1/employees/{employee.public_id}/", dumps(body), "application/json"
    )

    assert_api_answer(response, ok=(200,))
    if response.status_code >= 400:
        assert model_to_dict(Employee.objects.get(pk=employee.pk)) == before


@FUZZ_SETTINGS
@given(body=json_bodies)
def test_generated_create_bodies_never_fail_and_a_refusal_creates_nothing(api_client, body):
    count = Employee.objects.count()

    response = api_client.generic("POST", "/api/v1/employees/", dumps(body), "application/json")

    assert_api_answer(response, ok=(201,))
    if response.status_code >= 400:
        assert Employee.objects.count() == count
    else:
        Employee.objects.filter(public_id=response.json()["id"]).delete()


@FUZZ_SETTINGS
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["select", "sort", "limit", "offset", "filter[title]", "filter[active]"]
            ),
            st.sampled_from(["filter[start_date][gte]", "filter[manager_id]"]),
            nasty_text,
        ),
        query_values,
        max_size=4,
    )
)
def test_generated_query_strings_never_fail_the_server(api_client, params):
    assert_api_answer(api_client.get("/api/v1/employees/?" + query(params)), ok=(200,))
