import pytest

from employees.search import glob_pattern
from employees.selectors import employee_list
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_glob_pattern_lists_both_cases_of_each_letter():
    assert glob_pattern("Åsa") == "*[Åå][Ss][Aa]*"


def test_glob_pattern_makes_wildcards_literal():
    assert glob_pattern("a*?[]1") == "*[Aa][*][?][[][]]1*"


def test_glob_pattern_normalizes_decomposed_input():
    decomposed = "Jose\u0301"  # "José" typed as e + combining acute accent
    assert glob_pattern(decomposed) == "*[Jj][Oo][Ss][Éé]*"


@pytest.fixture
def people():
    return {
        "asa": EmployeeFactory(given_name="Åsa", family_name="Öberg", title="Chief Executive"),
        "jose": EmployeeFactory(given_name="José", family_name="Núñez", title="Engineer"),
        "zoe": EmployeeFactory(given_name="Zoë", family_name="Brontë", title="Designer"),
        "ascii": EmployeeFactory(
            given_name="Asa", family_name="Oberg", title="Analyst", employee_number="E-77"
        ),
    }


def _found(search):
    return set(employee_list(search=search).values_list("given_name", flat=True))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("åsa", {"Åsa"}),
        ("ÅSA", {"Åsa"}),
        ("öBERG", {"Åsa"}),
        ("josé núñez", {"José"}),
        ("NÚÑEZ", {"José"}),
        ("zoë", {"Zoë"}),
        ("BRONTË", {"Zoë"}),
        ("asa", {"Asa"}),  # accents matter: "asa" is not "åsa"
        ("e-77", {"Asa"}),
        ("ENGINEER", {"José"}),
        ("chief exec", {"Åsa"}),
    ],
)
def test_search_ignores_letter_case_of_any_alphabet(people, search, expected):
    assert _found(search) == expected


def test_search_finds_user_name_and_email(people):
    assert _found(people["zoe"].user_name.upper()) == {"Zoë"}


@pytest.mark.parametrize("search", ["%", "_", "*", "?", "[", "\\"])
def test_wildcard_characters_match_only_themselves(people, search):
    assert _found(search) == set()


def test_every_word_must_match(people):
    assert _found("åsa núñez") == set()
