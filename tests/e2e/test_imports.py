"""HR imports staff from a spreadsheet in a real browser: preview, errors, fix, import again."""

import csv
import io

import pytest
from playwright.sync_api import expect

from audit.models import Channel
from employees.models import Employee, EmployeeChange
from tests.factories import HRAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["User name", "First name", "Last name", "Email", "Phone", "Department", "Manager"]
BROKEN = {
    # row number in the file (header is row 1) -> (column, broken value, fixed value)
    10: ("Phone", "12345", "+46 8 123 456 10"),
    40: ("Manager", "nobody@contoso.com", "staff1@contoso.com"),
    80: ("Email", "not-an-email", "staff79@contoso.com"),
    120: ("Phone", "call me", "+46 8 123 456 20"),
    160: ("Manager", "ghost@contoso.com", "staff2@contoso.com"),
}


def staff_file(path, *, broken: bool) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(1, 201):
            row = {
                "User name": f"staff{n}@contoso.com",
                "First name": f"Given{n}",
                "Last name": f"Staff{n:03d}",
                "Email": f"staff{n}@contoso.com",
                "Phone": f"+46 8 555 {n:04d}",
                "Department": "Engineering" if n % 2 else "Sales",
                # Everyone reports to the first person, who appears in row 2.
                "Manager": "" if n == 1 else "staff1@contoso.com",
            }
            problem = BROKEN.get(n + 1)
            if problem is not None:
                column, bad, good = problem
                row[column] = bad if broken else good
            writer.writerow([row[h] for h in HEADERS])


def test_hr_imports_200_rows_fixes_5_and_sees_them_in_the_directory(
    page, sign_in, screenshot, tmp_path
):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Hr")
    broken, fixed = tmp_path / "staff.csv", tmp_path / "staff-fixed.csv"
    staff_file(broken, broken=True)
    staff_file(fixed, broken=False)

    sign_in("hana.hr")
    page.goto("/employees/")
    page.get_by_role("link", name="Import employees").click()
    page.get_by_label("Spreadsheet").set_input_files(str(broken))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    # Every header was recognised: "First name" holds the given name.
    expect(page.get_by_label("First name")).to_have_value("given_name")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("195")
    expect(page.locator("[data-count=error]")).to_have_text("5")
    page.get_by_role("navigation", name="Rows to show").get_by_role("link", name="Errors").click()
    expect(page.get_by_text("Invalid phone number “12345”")).to_be_visible()
    expect(page.get_by_text("Unknown manager “nobody@contoso.com”")).to_be_visible()
    expect(page.get_by_text("Invalid email address “not-an-email”.")).to_be_visible()
    screenshot("import-preview-errors")
    assert Employee.objects.count() == 0

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rows with errors").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        lines = list(csv.reader(io.StringIO(handle.read())))
    assert [line[0] for line in lines[1:]] == [str(n) for n in sorted(BROKEN)]
    assert lines[0][-1] == "Problems"

    page.get_by_role("button", name="Import 195 employees").click()
    expect(page.get_by_text("Imported 195 rows")).to_be_visible()
    assert Employee.objects.count() == 195

    # The fixed file: the 195 imported rows are unchanged, the 5 fixed ones are new.
    page.get_by_role("link", name="Import employees").first.click()
    page.get_by_label("Spreadsheet").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("[data-count=new]")).to_have_text("5")
    expect(page.locator("[data-count=unchanged]")).to_have_text("195")
    expect(page.locator("[data-count=error]")).to_have_text("0")
    page.get_by_role("button", name="Import 5 employees").click()
    expect(page.get_by_text("Imported 5 rows")).to_be_visible()
    screenshot("import-result")

    page.get_by_role("link", name="See the employees").click()
    page.get_by_label("Search").first.fill("Staff039")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Staff039, Given39")).to_be_visible()
    assert Employee.objects.count() == 200
    fixed_employee = Employee.objects.get(user_name="staff39@contoso.com")
    assert fixed_employee.manager.user_name == "staff1@contoso.com"
    assert EmployeeChange.objects.filter(channel=Channel.IMPORT).count() == 200
