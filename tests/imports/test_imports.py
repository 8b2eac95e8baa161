"""Employee import: upload, mapping, preview, apply, re-import and the pages around them."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from audit.models import Channel
from custom_fields.models import CustomField
from employees.models import Employee, EmployeeChange
from imports.models import EmployeeImport, ImportRow, ImportStatus
from imports.services import import_apply_run, import_apply_start, import_check_start, import_upload
from organisation.models import Department
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run(django_capture_on_commit_callbacks):
    """Background tasks run once their transaction commits, as in production."""
    global _commits
    _commits = django_capture_on_commit_callbacks


_commits = None

HEADERS = [
    "User name",
    "Given name",
    "Family name",
    "Work email",
    "Work phone",
    "Department",
    "Manager",
    "Start date",
    "End date",
]


def csv_file(rows, headers=HEADERS, name="staff.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def person(n, manager="", **over):
    row = {
        "User name": f"p{n}@contoso.com",
        "Given name": f"Given{n}",
        "Family name": f"Family{n}",
        "Work email": f"p{n}@contoso.com",
        "Work phone": "+46 8 123 456 78",
        "Department": "Sales",
        "Manager": manager,
        "Start date": "2026-01-05",
        "End date": "",
    }
    row.update(over)
    return [row[h] for h in HEADERS]


def run_preview(uploaded, user, override_entra=False):
    employee_import = import_upload(uploaded_file=uploaded, user=user)
    mapping = {int(k): v for k, v in employee_import.mapping.items()}
    with _commits(execute=True):
        import_check_start(
            employee_import=employee_import, mapping=mapping, override_entra=override_entra
        )
    employee_import.refresh_from_db()
    return employee_import


def run_apply(employee_import, user):
    with _commits(execute=True):
        import_apply_start(employee_import=employee_import, user=user)
    employee_import.refresh_from_db()
    return employee_import


def rows_by_number(employee_import):
    return {row.row_number: row for row in employee_import.rows.all()}


def test_headers_are_matched_with_synonyms(hr_admin):
    uploaded = csv_file([], headers=["E-mail", "First name", "Surname", "Username", "Whatever"])
    employee_import = import_upload(uploaded_file=uploaded, user=hr_admin)
    assert employee_import.mapping == {
        "0": "work_email",
        "1": "given_name",
        "2": "family_name",
        "3": "user_name",
    }
    assert employee_import.status == ImportStatus.MAPPING


def test_preview_classifies_rows_and_writes_nothing(hr_admin):
    boss = EmployeeFactory(user_name="boss@contoso.com", work_email="boss@contoso.com")
    same = EmployeeFactory(
        user_name="same@contoso.com",
        given_name="Same",
        family_name="Person",
        work_email="same@contoso.com",
        work_phone="+4681234567",
        department="",
    )
    uploaded = csv_file(
        [
            # row 2: new, manager is a later row
            person(1, manager="p2@contoso.com"),
            # row 3: new, manager by email of an existing employee
            person(2, manager="boss@contoso.com"),
            # row 4: update of boss (title unchanged, phone changes)
            [
                "boss@contoso.com",
                boss.given_name,
                boss.family_name,
                boss.work_email,
                "+46 8 765 432 10",
                "",
                "",
                "",
                "",
            ],
            # row 5: unchanged
            [
                "same@contoso.com",
                "Same",
                "Person",
                "same@contoso.com",
                "+46 8 123 45 67",
                "",
                "",
                "",
                "",
            ],
            # row 6: invalid phone
            person(6, **{"Work phone": "12345"}),
            # row 7: unknown manager
            person(7, manager="nobody@contoso.com"),
            # row 8: duplicate user name of row 2
            person(1),
            # row 9: date order
            person(9, **{"End date": "2025-01-01"}),
        ]
    )
    employee_import = run_preview(uploaded, hr_admin)
    assert employee_import.status == ImportStatus.PREVIEW
    assert Employee.objects.count() == 2
    rows = rows_by_number(employee_import)
    assert [rows[n].outcome for n in range(2, 10)] == [
        "new",
        "new",
        "update",
        "unchanged",
        "error",
        "error",
        "error",
        "error",
    ]
    assert rows[2].values["manager"] == "p2@contoso.com"
    assert rows[2].depth == 2 and rows[3].depth == 1  # boss is row 4
    assert (
        rows[4].changes == {"work_phone": ["", "+46876543210"]}
        or rows[4].changes["work_phone"][1] == "+46876543210"
    )
    assert rows[6].errors == [
        {
            "column": "Work phone",
            "message": "Invalid phone number “12345”: write it with the country code, "
            "for example +46 8 123 456 78.",
        }
    ]
    assert rows[7].errors[0]["column"] == "Manager"
    assert rows[7].errors[0]["message"].startswith("Unknown manager “nobody@contoso.com”")
    assert rows[8].errors[0]["message"] == (
        "Duplicate user name in the file: “p1@contoso.com” is also on row 2."
    )
    assert rows[9].errors == [
        {"column": "End date", "message": "Date order: the end date is before the start date."}
    ]
    assert (
        employee_import.new_count,
        employee_import.update_count,
        employee_import.unchanged_count,
        employee_import.error_count,
    ) == (2, 1, 1, 4)
    assert same.pk


def test_manager_cycle_is_an_error(hr_admin):
    uploaded = csv_file(
        [person(1, manager="p2@contoso.com"), person(2, manager="p1@contoso.com"), person(3)]
    )
    rows = rows_by_number(run_preview(uploaded, hr_admin))
    assert rows[2].outcome == rows[3].outcome == "error"
    assert "Manager cycle" in rows[2].errors[0]["message"]
    assert rows[4].outcome == "new"


def test_report_of_a_broken_new_manager_is_an_error(hr_admin):
    uploaded = csv_file([person(1, manager="p2@contoso.com"), person(2, **{"Work email": "x"})])
    rows = rows_by_number(run_preview(uploaded, hr_admin))
    assert rows[3].errors == [{"column": "Work email", "message": "Invalid email address “x”."}]
    assert rows[2].outcome == "error"
    assert rows[2].errors[0]["message"].startswith("The manager “p2@contoso.com” (row 3)")


def test_apply_creates_and_updates_with_history_and_reimport_changes_nothing(hr_admin):
    EmployeeFactory(user_name="boss@contoso.com", work_email="boss@contoso.com", title="Boss")
    rows = [
        person(1, manager="p2@contoso.com"),
        person(2, manager="boss@contoso.com"),
        person(3, manager="p1@contoso.com", Department="  sales "),
    ]
    employee_import = run_apply(run_preview(csv_file(rows), hr_admin), hr_admin)
    assert employee_import.status == ImportStatus.APPLIED
    assert employee_import.applied_count == 3
    p1 = Employee.objects.get(user_name="p1@contoso.com")
    assert p1.manager.user_name == "p2@contoso.com"
    assert Employee.objects.get(user_name="p3@contoso.com").manager == p1
    assert p1.work_phone == "+46812345678"
    assert p1.department == "Sales"
    assert Department.objects.filter(name="Sales").count() == 1
    assert p1.department_record.name == "Sales"
    change = EmployeeChange.objects.get(employee=p1)
    assert change.channel == Channel.IMPORT
    assert change.actor_user == hr_admin
    assert change.action == "created"

    again = run_preview(csv_file(rows), hr_admin)
    assert (again.new_count, again.update_count, again.unchanged_count, again.error_count) == (
        0,
        0,
        3,
        0,
    )
    with pytest.raises(Exception, match="Nothing to import"):
        import_apply_start(employee_import=again, user=hr_admin)
    assert EmployeeChange.objects.filter(employee=p1).count() == 1


def test_apply_rechecks_and_rolls_back_the_whole_batch(hr_admin):
    employee_import = run_preview(csv_file([person(1), person(2)]), hr_admin)
    # Someone adds p2 between the preview and the import.
    EmployeeFactory(user_name="P2@contoso.com")
    employee_import = run_apply(employee_import, hr_admin)
    assert employee_import.failed_count == 2
    assert not Employee.objects.filter(user_name="p1@contoso.com").exists()
    rows = rows_by_number(employee_import)
    assert rows[3].result == "failed"
    assert "was added after the preview" in rows[3].errors[-1]["message"]
    assert rows[2].result == "failed"
    assert "row 3 of the same batch" in rows[2].errors[-1]["message"]


def test_scim_managed_employees_keep_entra_fields_unless_overridden(hr_admin):
    EmployeeFactory(
        user_name="entra@contoso.com",
        given_name="Ent",
        family_name="Ra",
        work_email="entra@contoso.com",
        last_synced_at=timezone.now(),
    )
    headers = ["User name", "Given name", "Family name", "Work email", "Start date"]
    rows = [["entra@contoso.com", "Changed", "Ra", "entra@contoso.com", "2026-02-02"]]
    employee_import = run_preview(csv_file(rows, headers=headers), hr_admin)
    row = employee_import.rows.get()
    assert row.changes == {"start_date": [None, "2026-02-02"]}
    assert row.kept_for_entra == ["Given name"]
    run_apply(employee_import, hr_admin)
    employee = Employee.objects.get(user_name="entra@contoso.com")
    assert employee.given_name == "Ent"
    assert str(employee.start_date) == "2026-02-02"

    overriding = run_preview(csv_file(rows, headers=headers), hr_admin, override_entra=True)
    assert overriding.rows.get().changes == {"given_name": ["Ent", "Changed"]}
    run_apply(overriding, hr_admin)
    assert Employee.objects.get(user_name="entra@contoso.com").given_name == "Changed"


def test_xlsx_upload_with_custom_field_and_mapping(hr_admin):
    CustomField.objects.create(name="badgeColor", label="Badge colour")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Login", "Vorname", "Nachname", "Mail", "Badge colour", "Start date"])
    import datetime as dt

    excel_date = dt.datetime(2026, 3, 1)  # noqa: DTZ001 - Excel dates have no time zone
    sheet.append(["x1@contoso.com", "Xa", "Ya", "x1@contoso.com", "Blue", excel_date])
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    employee_import = import_upload(uploaded_file=uploaded, user=hr_admin)
    # "Vorname" and "Nachname" are not recognised: HR maps them.
    assert employee_import.mapping == {
        "0": "user_name",
        "3": "work_email",
        "4": "custom:badgeColor",
        "5": "start_date",
    }
    with _commits(execute=True):
        import_check_start(
            employee_import=employee_import,
            mapping={
                0: "user_name",
                1: "given_name",
                2: "family_name",
                3: "work_email",
                4: "custom:badgeColor",
                5: "start_date",
            },
            override_entra=False,
        )
    employee_import.refresh_from_db()
    assert employee_import.new_count == 1
    run_apply(employee_import, hr_admin)
    employee = Employee.objects.get(user_name="x1@contoso.com")
    assert employee.custom_fields == {"badgeColor": "Blue"}
    assert str(employee.start_date) == "2026-03-01"


def test_pages_upload_map_preview_apply(hr_admin_client, hr_admin):
    response = hr_admin_client.get(reverse("imports:start"))
    assert response.status_code == HTTPStatus.OK
    response = hr_admin_client.post(
        reverse("imports:start"), {"file": csv_file([person(1), person(2, **{"Work phone": "1"})])}
    )
    employee_import = EmployeeImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    detail = reverse("imports:detail", kwargs={"public_id": employee_import.public_id})
    page = hr_admin_client.get(detail)
    assert "Match the columns" in page.content.decode()
    form = {f"column_{i}": key for i, key in employee_import.mapping.items()}
    with _commits(execute=True):
        response = hr_admin_client.post(detail, form)
    assert response.status_code == HTTPStatus.FOUND
    page = hr_admin_client.get(detail + "?show=error").content.decode()
    assert "Invalid phone number “1”" in page
    errors = hr_admin_client.get(
        reverse("imports:errors", kwargs={"public_id": employee_import.public_id})
    )
    body = b"".join(errors.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["Row", *HEADERS, "Problems"]
    assert lines[1][0] == "3" and lines[1][1] == "p2@contoso.com"
    assert lines[1][-1].startswith("Work phone: Invalid phone number")
    progress = hr_admin_client.get(
        reverse("imports:progress", kwargs={"public_id": employee_import.public_id})
    ).json()
    assert progress["status"] == "preview" and progress["busy"] is False
    with _commits(execute=True):
        response = hr_admin_client.post(
            reverse("imports:apply", kwargs={"public_id": employee_import.public_id})
        )
    assert response.status_code == HTTPStatus.FOUND
    assert Employee.objects.filter(user_name="p1@contoso.com").exists()
    assert "Imported 1 row" in hr_admin_client.get(detail).content.decode()


def test_bad_files_are_refused_beside_the_field(hr_admin_client):
    for uploaded, message in [
        (SimpleUploadedFile("a.pdf", b"%PDF"), "Upload a CSV file or an Excel workbook"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "damaged or not an Excel file"),
        (SimpleUploadedFile("a.csv", b"\xff\xfe\x00bad"), "not UTF-8"),
        (SimpleUploadedFile("a.csv", b""), "The submitted file is empty"),
    ]:
        response = hr_admin_client.post(reverse("imports:start"), {"file": uploaded})
        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
    assert not EmployeeImport.objects.exists()


def test_mapping_without_user_name_is_refused(hr_admin_client, hr_admin):
    employee_import = import_upload(uploaded_file=csv_file([person(1)]), user=hr_admin)
    detail = reverse("imports:detail", kwargs={"public_id": employee_import.public_id})
    form = {f"column_{i}": key for i, key in employee_import.mapping.items() if key != "user_name"}
    response = hr_admin_client.post(detail, form)
    assert response.status_code == HTTPStatus.OK
    assert "Choose the column that holds the user name." in response.content.decode()


def test_template_lists_every_column_with_custom_fields(hr_admin_client):
    CustomField.objects.create(name="badgeColor", label="Badge colour")
    body = hr_admin_client.get(reverse("imports:template", kwargs={"fmt": "csv"})).content
    headers = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert headers[:3] == ["User name", "Given name", "Family name"]
    assert headers[-1] == "Badge colour"
    response = hr_admin_client.get(reverse("imports:template", kwargs={"fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert [c.value for c in next(workbook["Employees"].iter_rows())][-1] == "Badge colour"


def test_only_hr_admins_reach_imports(employee_client, client, hr_admin):
    employee_import = import_upload(uploaded_file=csv_file([person(1)]), user=hr_admin)
    urls = [
        reverse("imports:start"),
        reverse("imports:template", kwargs={"fmt": "csv"}),
        reverse("imports:detail", kwargs={"public_id": employee_import.public_id}),
        reverse("imports:progress", kwargs={"public_id": employee_import.public_id}),
        reverse("imports:errors", kwargs={"public_id": employee_import.public_id}),
    ]
    for url in urls:
        assert employee_client.get(url).status_code == HTTPStatus.FORBIDDEN
    apply_url = reverse("imports:apply", kwargs={"public_id": employee_import.public_id})
    assert employee_client.post(apply_url).status_code == HTTPStatus.FORBIDDEN


def test_apply_run_twice_does_nothing_more(hr_admin):
    employee_import = run_apply(run_preview(csv_file([person(1)]), hr_admin), hr_admin)
    assert import_apply_run(import_id=employee_import.pk).status == ImportStatus.APPLIED
    assert Employee.objects.filter(user_name="p1@contoso.com").count() == 1
    assert ImportRow.objects.filter(result="applied").count() == 1


def test_pages_take_a_constant_number_of_queries(
    hr_admin_client, hr_admin, django_assert_max_num_queries
):
    employee_import = run_preview(
        csv_file([person(n, **({"Work phone": "1"} if n % 3 else {})) for n in range(1, 120)]),
        hr_admin,
    )
    detail = reverse("imports:detail", kwargs={"public_id": employee_import.public_id})
    progress = reverse("imports:progress", kwargs={"public_id": employee_import.public_id})
    for url in (detail, detail + "?show=error", detail + "?page=2", progress):
        with django_assert_max_num_queries(10):
            assert hr_admin_client.get(url).status_code == HTTPStatus.OK
    with django_assert_max_num_queries(10):
        assert hr_admin_client.get(reverse("imports:start")).status_code == HTTPStatus.OK


def test_an_existing_employee_can_report_to_a_new_one_from_the_same_file(hr_admin):
    EmployeeFactory(user_name="old@contoso.com", work_email="old@contoso.com")
    headers = ["User name", "Given name", "Family name", "Work email", "Manager"]
    rows = [
        ["old@contoso.com", "Old", "Timer", "old@contoso.com", "new@contoso.com"],
        ["new@contoso.com", "New", "Boss", "new@contoso.com", ""],
    ]
    employee_import = run_apply(run_preview(csv_file(rows, headers=headers), hr_admin), hr_admin)
    assert employee_import.applied_count == 2, list(employee_import.rows.values("errors"))
    assert Employee.objects.get(user_name="old@contoso.com").manager.user_name == (
        "new@contoso.com"
    )


def test_a_long_chain_of_managers_in_the_file_is_no_cycle(hr_admin):
    rows = [person(n, manager=f"p{n + 1}@contoso.com" if n < 1500 else "") for n in range(1, 1501)]
    employee_import = run_preview(csv_file(rows), hr_admin)
    assert employee_import.error_count == 0
    assert employee_import.rows.get(row_number=2).depth == 1499
