"""RFC 7644 §3.4.2.2 filters: parsing, translation to the ORM, and Entra's probes over HTTP."""

from http import HTTPStatus
from urllib.parse import quote, quote_plus

import pytest

from employees.models import Employee
from scim_api.errors import ScimError
from scim_api.filters import parse_filter, user_filter_q
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ENT, LIST, error_body

pytestmark = pytest.mark.django_db


def matching(query):
    """Return the user names the filter selects among live employees, sorted."""
    qs = Employee.objects.filter(deleted_at__isnull=True).filter(user_filter_q(query))
    return sorted(qs.values_list("user_name", flat=True))


@pytest.fixture
def people():
    boss = EmployeeFactory(
        user_name="Boss@Contoso.com",
        given_name="Barbara",
        family_name="Liskov",
        display_name="Barbara Liskov",
        work_email="barbara@contoso.com",
        external_id="EXT-boss",
        department="Research",
        employee_number="100",
        title="Director",
    )
    EmployeeFactory(
        user_name="alan@contoso.com",
        given_name="Alan",
        family_name="Turing",
        display_name="Alan Turing",
        work_email="alan@example.org",
        work_phone="+442071234567",
        external_id="ext-alan",
        department="Research",
        cost_center="CC-7",
        manager=boss,
        title="Engineer",
        active=False,
    )
    EmployeeFactory(
        user_name="grace@contoso.com",
        given_name="Grace",
        family_name="Hopper",
        display_name="Grace Hopper",
        work_email="grace@contoso.com",
        department="Navy",
        manager=boss,
        title="Engineer 100%_done",
    )
    EmployeeFactory(user_name="deleted@contoso.com", deleted_at="2026-01-01T00:00:00Z")
    return boss


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('userName eq "boss@contoso.com"', ["Boss@Contoso.com"]),
        ('USERNAME EQ "BOSS@CONTOSO.COM"', ["Boss@Contoso.com"]),
        ('userName ne "boss@contoso.com"', ["alan@contoso.com", "grace@contoso.com"]),
        ('userName co "ACE@"', ["grace@contoso.com"]),
        ('userName sw "al"', ["alan@contoso.com"]),
        ('userName ew ".COM"', ["Boss@Contoso.com", "alan@contoso.com", "grace@contoso.com"]),
        ('userName gt "b"', ["Boss@Contoso.com", "grace@contoso.com"]),
        ('userName le "alan@contoso.com"', ["alan@contoso.com"]),
        ('externalId eq "EXT-boss"', ["Boss@Contoso.com"]),
        ('externalId eq "ext-boss"', []),  # externalId is case-exact
        ("externalId pr", ["Boss@Contoso.com", "alan@contoso.com"]),
        ('name.givenName eq "grace"', ["grace@contoso.com"]),
        ('name.familyName sw "tur"', ["alan@contoso.com"]),
        ('displayName co "liskov"', ["Boss@Contoso.com"]),
        ('title eq "engineer"', ["alan@contoso.com"]),
        ('title co "100%_"', ["grace@contoso.com"]),  # LIKE wildcards are escaped
        ('title co "%"', ["grace@contoso.com"]),
        ("active eq true", ["Boss@Contoso.com", "grace@contoso.com"]),
        ("active eq false", ["alan@contoso.com"]),
        ("active eq False", ["alan@contoso.com"]),
        ('emails[type eq "work"].value eq "GRACE@contoso.com"', ["grace@contoso.com"]),
        ('emails[type eq "work" and value co "example.org"]', ["alan@contoso.com"]),
        ('emails[type eq "home"].value eq "grace@contoso.com"', []),
        ('emails.value ew "example.org"', ["alan@contoso.com"]),
        ('emails co "barbara"', ["Boss@Contoso.com"]),
        ('phoneNumbers[type eq "work"].value eq "+442071234567"', ["alan@contoso.com"]),
        ("phoneNumbers pr", ["alan@contoso.com"]),
        (f'{ENT}:department eq "research"', ["Boss@Contoso.com", "alan@contoso.com"]),
        ('department eq "NAVY"', ["grace@contoso.com"]),
        (f'{ENT}:employeeNumber eq "100"', ["Boss@Contoso.com"]),
        (f"{ENT}:costCenter pr", ["alan@contoso.com"]),
        (f"{ENT}:manager pr", ["alan@contoso.com", "grace@contoso.com"]),
        (
            f'{ENT}:manager.displayName eq "barbara liskov"',
            ["alan@contoso.com", "grace@contoso.com"],
        ),
        ('title eq "engineer" or department eq "navy"', ["alan@contoso.com", "grace@contoso.com"]),
        (
            'department eq "research" and not (active eq false)',
            ["Boss@Contoso.com"],
        ),
        (
            'name.familyName eq "Turing" and (emails.value co "example.com" or '
            'emails.value co "example.org")',
            ["alan@contoso.com"],
        ),
        ('userName eq "a" or userName eq "b" and title eq "c"', []),
        (
            '(userName eq "grace@contoso.com" or userName eq "alan@contoso.com")'
            " and active eq true",
            ["grace@contoso.com"],
        ),
        (
            'meta.created gt "2000-01-01T00:00:00Z"',
            ["Boss@Contoso.com", "alan@contoso.com", "grace@contoso.com"],
        ),
        ('meta.lastModified lt "2000-01-01T00:00:00Z"', []),
        (
            'meta.resourceType eq "User"',
            ["Boss@Contoso.com", "alan@contoso.com", "grace@contoso.com"],
        ),
        ('userName eq "Bo\\"ss"', []),
        ("displayName eq null", []),
    ],
)
def test_filter_semantics(people, query, expected):
    assert matching(query) == expected


def test_id_and_manager_value_filters(people):
    alan = Employee.objects.get(user_name="alan@contoso.com")

    assert matching(f'id eq "{alan.public_id}"') == ["alan@contoso.com"]
    assert matching(f'id eq "{alan.public_id}" and {ENT}:manager eq "{people.public_id}"') == [
        "alan@contoso.com"
    ]
    assert matching(f'{ENT}:manager.value eq "{people.public_id}"') == [
        "alan@contoso.com",
        "grace@contoso.com",
    ]
    assert matching('id eq "not-a-uuid"') == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "userName",
        "userName eq",
        'userName equals "x"',
        'foo eq "x"',
        'userName eq "a" and foo eq "x"',
        'name.middleName eq "x"',
        'userName eq "unterminated',
        '(userName eq "x"',
        'userName eq "x")',
        'userName eq "x" and',
        'emails[type eq "work"',
        'emails[type eq "work"]]',
        "active gt true",
        'active eq "maybe"',
        'meta.created gt "yesterday"',
        'meta.created gt "2015-13-45T00:00:00Z"',
        'id co "abc"',
        "userName eq bare",
        "userName eq 'single'",
        'urn:example:custom:2.0:User:shoeSize eq "9"',
        "(" * 200 + 'userName eq "x"' + ")" * 200,
        'userName eq "' + "x" * 5000 + '"',
        'userName eq "\u0000"',
        "userName eq {}",
        'emails[type eq "work"].value',
    ],
)
def test_malformed_or_unknown_is_invalid_filter(query):
    with pytest.raises(ScimError) as caught:
        user_filter_q(query) if query else parse_filter(query)
    assert (caught.value.status, caught.value.scim_type) == (400, "invalidFilter")


EMPTY = {"schemas": [LIST], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []}


@pytest.mark.parametrize(
    "raw_query",
    [
        "filter=userName+eq+%22cf4d78e8-cc4f-4d5d-b8b9-183561c0104a%22",
        "filter=userName%20eq%20%22cf4d78e8-cc4f-4d5d-b8b9-183561c0104a%22",
        'filter=userName eq "cf4d78e8-cc4f-4d5d-b8b9-183561c0104a"',
        "filter=externalId+eq+%229edf3db5-f590-4367-a7b6-d76747c0a509%22",
        "filter=" + quote_plus('emails[type eq "work"].value eq "nobody@contoso.com"'),
        "filter=" + quote('id eq "54D382A4-2050-4C03-94D1-E769F1D15682"') + "&attributes=id",
        "aadOptscim062020&filter=userName+eq+%22x%22",
    ],
)
def test_entra_probes_for_a_random_guid_are_200_and_empty(scim, people, raw_query):
    response = scim.get(f"Users?{raw_query}")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/scim+json"
    assert response.json() == EMPTY


def test_entra_lookup_finds_the_user_in_any_letter_case(scim, people):
    response = scim.get("Users?filter=userName+eq+%22BOSS%40contoso.COM%22")

    data = response.json()
    assert (data["totalResults"], data["itemsPerPage"]) == (1, 1)
    assert [r["userName"] for r in data["Resources"]] == ["Boss@Contoso.com"]
    assert data["Resources"][0]["id"] == str(people.public_id)


def test_disabled_users_are_found_by_filters(scim, people):
    data = scim.get('Users?filter=userName eq "alan@contoso.com"').json()

    assert [(r["userName"], r["active"]) for r in data["Resources"]] == [
        ("alan@contoso.com", False)
    ]


def test_an_unknown_attribute_over_http_is_400_invalid_filter(scim, people):
    response = scim.get('Users?filter=nickName eq "x"')

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == error_body(
        400, "Unknown or unfilterable attribute 'nickName'.", "invalidFilter"
    )


def test_user_name_filter_uses_the_lower_index_lookup(people):
    sql = str(
        Employee.objects.filter(user_filter_q('userName eq "BOSS@contoso.com"')).query
    ).upper()

    assert 'LOWER("EMPLOYEES_EMPLOYEE"."USER_NAME") = BOSS@CONTOSO.COM' in sql


def test_filters_of_one_shape_keep_their_own_values(people):
    # Parsed trees are cached by shape (the text with its string values taken out).
    assert matching('userName eq "boss@contoso.com" or title co "100%_"') == [
        "Boss@Contoso.com",
        "grace@contoso.com",
    ]
    assert matching('userName eq "alan@contoso.com" or title co "Dir"') == [
        "Boss@Contoso.com",
        "alan@contoso.com",
    ]
    assert matching('emails[type eq "work" and value ew "\\u0040example.org"]') == [
        "alan@contoso.com"
    ]
    assert matching('displayName eq "Grace \\"Amazing\\" Hopper"') == []


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ('userName eq "a" or title eq "b\\q"', "The filter is invalid at column 29."),
        ('userName eq "x', "The filter is invalid at column 13."),
        ('title eq "x" and', "The filter ends too early."),
    ],
)
def test_syntax_errors_point_into_the_filter_as_sent(query, detail):
    with pytest.raises(ScimError) as caught:
        user_filter_q(query)
    assert (caught.value.scim_type, caught.value.detail) == ("invalidFilter", detail)
