"""Every attribute in the catalogue round-trips: POST, GET, filter, sort, PATCH, /Schemas."""

from http import HTTPStatus
from urllib.parse import quote

import pytest

from scim_api.attributes import ALEXIS_USER, CORE_USER
from scim_api.catalogue import BUILTIN_USER_CATALOGUE, group_catalogue
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, GROUP, entra_create_body

pytestmark = pytest.mark.django_db

# The built-in attributes; those extensions add (custom fields, roles) read the database and
# have their own tests (tests/custom_fields/test_scim.py, tests/accounts/test_entra_roles.py).
CATALOGUE = BUILTIN_USER_CATALOGUE
WRITABLE = [a for a in CATALOGUE.attributes if a.writable and (a.field or a.stage) and a.listed]


def _values(attribute, managers):
    """Two values a client may send for the attribute, and how SCIM answers each."""
    if attribute.type == "boolean":
        return False, True
    if attribute.field == "manager":
        return str(managers[0].public_id), str(managers[1].public_id)
    if attribute.field == "work_phone":
        return "+1 617 555 0101", "tel:+1-617-555-0102"
    if attribute.type == "dateTime":
        return "2027-01-04T00:00:00Z", "2027-02-01T00:00:00Z"
    if attribute.field in ("work_email", "user_name"):
        return f"one.{attribute.field}@contoso.com", f"two.{attribute.field}@contoso.com"
    return f"One-{attribute.name}", f"Two-{attribute.name}"


def _container(resource, attribute, create=False):
    if attribute.schema == CORE_USER:
        return resource
    if create:
        return resource.setdefault(attribute.schema, {})
    return resource.get(attribute.schema, {})


def _put(body, attribute, value):
    """Set the attribute in a full resource as a client writes it."""
    container = _container(body, attribute, create=True)
    if attribute.sub is None:
        container[attribute.name] = value
    elif attribute.element_type:
        elements = container.setdefault(attribute.name, [])
        work = next((e for e in elements if e.get("type") == attribute.element_type), None)
        if work is None:
            work = {"type": attribute.element_type, "value": "+16175550100"}
            elements.append(work)
        work[attribute.sub] = value
    else:
        container.setdefault(attribute.name, {})[attribute.sub] = value


def _get(resource, attribute):
    """Read the attribute's value off a resource, None when it is absent."""
    value = _container(resource, attribute).get(attribute.name)
    if attribute.sub is None or value is None:
        return value
    if attribute.element_type:
        work = next((e for e in value if e.get("type") == attribute.element_type), {})
        return work.get(attribute.sub)
    return value.get(attribute.sub)


def _filter_literal(value):
    return str(value).lower() if isinstance(value, bool) else f'"{value}"'


@pytest.mark.parametrize("attribute", WRITABLE, ids=lambda a: a.label)
def test_every_writable_attribute_round_trips(scim, attribute):
    managers = EmployeeFactory.create_batch(2)
    first, second = _values(attribute, managers)
    body = entra_create_body(user_name="walk@contoso.com")
    _put(body, attribute, first)

    created = scim.post("Users", body)
    assert created.status_code == HTTPStatus.CREATED, created.json()
    user_id = created.json()["id"]
    assert _get(created.json(), attribute) == first
    assert _get(scim.get(f"Users/{user_id}").json(), attribute) == first

    if attribute.kind:
        query = f'{attribute.label} eq {_filter_literal(first)} and id eq "{user_id}"'
        found = scim.get(f"Users?filter={quote(query)}").json()
        assert [r["id"] for r in found["Resources"]] == [user_id], query
    if attribute.sortable:
        assert scim.get(f"Users?sortBy={quote(attribute.label)}").status_code == HTTPStatus.OK

    for op, value in (("replace", second), ("add", first)):
        patched = scim.patch_ops(user_id, {"op": op, "path": attribute.label, "value": value})
        assert patched.status_code == HTTPStatus.OK, patched.json()
        assert _get(patched.json(), attribute) == value
        assert _get(scim.get(f"Users/{user_id}").json(), attribute) == value

    removed = scim.patch_ops(user_id, {"op": "remove", "path": attribute.label})
    if attribute.required:
        assert (removed.status_code, removed.json()["scimType"]) == (400, "invalidValue")
        assert removed.json()["detail"].startswith(attribute.label)
    else:
        assert removed.status_code == HTTPStatus.OK, removed.json()
        assert _get(removed.json(), attribute) in (None, attribute.default)


def _described(schemas, attribute):
    schema = next(s for s in schemas if s["id"] == attribute.schema)
    described = next(a for a in schema["attributes"] if a["name"] == attribute.name)
    if attribute.sub is not None:
        described = next(s for s in described["subAttributes"] if s["name"] == attribute.sub)
    return described


@pytest.mark.parametrize(
    "attribute",
    [a for c in (CATALOGUE, group_catalogue()) for a in c.attributes if a.listed],
    ids=lambda a: f"{a.schema.rsplit(':', 1)[-1]}:{a.label}",
)
def test_every_attribute_is_in_schemas_with_the_flags_it_enforces(scim, attribute):
    schemas = scim.get("Schemas").json()["Resources"]

    described = _described(schemas, attribute)

    assert {
        key: described[key]
        for key in ("type", "required", "caseExact", "mutability", "returned", "uniqueness")
    } == {
        "type": attribute.type,
        "required": attribute.required,
        "caseExact": attribute.case_exact,
        "mutability": attribute.mutability,
        "returned": attribute.returned,
        "uniqueness": attribute.uniqueness,
    }


@pytest.mark.parametrize(
    "attribute",
    [a for a in CATALOGUE.attributes if a.listed and a.mutability == "readOnly"],
    ids=lambda a: a.label,
)
def test_read_only_attributes_sent_by_a_client_are_ignored(scim, attribute):
    employee = EmployeeFactory(given_name="Grace", family_name="Hopper")
    before = scim.get(f"Users/{employee.public_id}").json()
    sent = {attribute.sub: "Sent by the client"} if attribute.sub else "Sent by the client"
    sent = {attribute.name: sent}
    if attribute.schema != CORE_USER:
        sent = {attribute.schema: sent}

    response = scim.patch_ops(employee.public_id, {"op": "replace", "value": sent})

    assert response.status_code == HTTPStatus.OK, response.json()
    after = response.json()
    assert after.pop("meta")["version"] == before.pop("meta")["version"]
    assert after == before


def test_the_catalogue_names_each_schema_served(scim):
    ids = [s["id"] for s in scim.get("Schemas").json()["Resources"]]

    assert ids == [CORE_USER, ENT, ALEXIS_USER, GROUP]
