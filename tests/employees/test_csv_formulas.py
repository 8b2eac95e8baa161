"""CSV export: no cell a spreadsheet would run as a formula, in any of its disguises."""

import csv
import io

import pytest

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "title",
    [
        "\uff1dHYPERLINK(1)",  # full-width equals sign
        "\uff0b1+cmd",  # full-width plus
        "\uff0d1+cmd",  # full-width minus
        "\uff20SUM(A1)",  # full-width at sign
        " =HYPERLINK(1)",  # a leading space before the formula
        "\t=HYPERLINK(1)",  # a leading tab
        "  \t+1+cmd",  # several blanks
        " \uff20SUM(A1)",
    ],
)
def test_csv_export_defuses_disguised_formulas(hr_admin_client, title):
    EmployeeFactory(given_name="Evil", family_name="Formula", title=title)

    response = hr_admin_client.get("/employees/export.csv", {"q": "formula"})
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[1][rows[0].index("Title")] == "'" + title


@pytest.mark.parametrize("title", [" Senior engineer", "\uff25ngineer", "+16175551212"])
def test_csv_export_keeps_harmless_values(hr_admin_client, title):
    EmployeeFactory(given_name="Plain", family_name="Formula", title=title)

    response = hr_admin_client.get("/employees/export.csv", {"q": "formula"})
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[1][rows[0].index("Title")] == title
