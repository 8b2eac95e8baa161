"""The guides name the buttons and fields people see: every bold term of the steps that
happen in Alexis must appear on the pages those steps walk through."""

import re
from html import unescape
from pathlib import Path

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[1] / "docs"
# Emphasis in these sections that is not a label on the page.
NOT_LABELS = {"once"}


def _section(guide: str, heading: str) -> str:
    text = (DOCS / guide).read_text()
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else None]


def _bold_terms(markdown: str) -> set[str]:
    terms = set()
    for term in re.findall(r"\*\*(.+?)\*\*", markdown, flags=re.S):
        # "Settings > Access tokens" is a path through the menu: each step is a label.
        terms.update(" ".join(part.split()) for part in term.split(">"))
    return {term for term in terms if term.lower() not in NOT_LABELS}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(
    ("guide", "heading"),
    [
        ("entra-provisioning.md", "## 1. Create a provisioning token in Alexis"),
        ("access-tokens.md", "## Creating a token"),
        ("access-tokens.md", "## Revoking a token"),
    ],
)
def test_guide_words_are_on_the_access_token_pages(owner_client, owner, guide, heading):
    token = access_token_create(name="Existing", scopes=[Scope.SCIM], created_by=owner).token
    pages = [
        owner_client.get("/settings/access-tokens/").content.decode(),
        owner_client.get("/settings/access-tokens/new/").content.decode(),
        owner_client.post(
            "/settings/access-tokens/new/",
            {"name": "New one", "scopes": [Scope.SCIM], "expires_in_days": "30"},
            follow=True,
        ).content.decode(),
        owner_client.get(f"/settings/access-tokens/{token.pk}/revoke/").content.decode(),
    ]
    shown = " ".join(_text(page) for page in pages)
    terms = _bold_terms(_section(guide, heading))
    assert terms, "the section has no bold labels to check"
    missing = sorted(term for term in terms if term not in shown)
    assert not missing, f"{guide} names {missing}, which no page shows"


# Labels of other pages, or Entra's own screens, that these sections also name.
GOING_LIVE_ELSEWHERE = {
    "Employees",
    "Add employee",
    "Settings",
    "Users",
    "All users",
    "Download users",
    "Change history",
    "Import",
}


def test_going_live_import_words_are_on_the_import_pages(hr_admin_client, hr_admin):
    """Each bold term of "Load everyone" is on the import pages, from upload to result."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.models import EmployeeImport

    file = SimpleUploadedFile(
        "staff.csv",
        b"User name,Given name,Family name,Work email,Work phone\n"
        b"a@contoso.com,A,B,a@contoso.com,+46 8 123 456 78\n"
        b"b@contoso.com,A,B,b@contoso.com,123\n",
    )
    pages = [hr_admin_client.get("/employees/import/").content.decode()]
    response = hr_admin_client.post("/employees/import/", {"file": file}, follow=True)
    pages.append(response.content.decode())
    employee_import = EmployeeImport.objects.get()
    detail = f"/employees/import/{employee_import.public_id}/"
    from imports.services import import_check_run

    form = {f"column_{i}": key for i, key in employee_import.mapping.items()}
    hr_admin_client.post(detail, form)
    import_check_run(import_id=employee_import.pk)
    pages.append(hr_admin_client.get(detail).content.decode())
    workbook = hr_admin_client.get("/employees/import/template.xlsx").content
    from openpyxl import load_workbook

    sheets = " ".join(load_workbook(io.BytesIO(workbook), read_only=True).sheetnames)
    shown = " ".join(_text(page) for page in pages) + " " + sheets + " Not imported"
    terms = _bold_terms(_section("going-live.md", "## 2. Load everyone")) - GOING_LIVE_ELSEWHERE
    missing = sorted(term for term in terms if term not in shown)
    assert not missing, f"going-live.md names {missing}, which no page shows"


def test_going_live_matching_words_are_on_the_matching_pages(owner_client):
    """Each bold term of the matching preview's steps is on its pages."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import EmployeeFactory

    EmployeeFactory(user_name="old.name@contoso.com", work_email="ada@contoso.com")
    EmployeeFactory(user_name="CASE@contoso.com")
    EmployeeFactory(user_name="twin1@contoso.com", work_email="eve@contoso.com")
    EmployeeFactory(user_name="twin2@contoso.com", employee_number="E1")
    EmployeeFactory(user_name="gone@contoso.com", last_synced_at="2026-01-01T00:00:00Z")
    csv_file = SimpleUploadedFile(
        "users.csv",
        b"userPrincipalName,mail,id,employeeId\n"
        b"ada@contoso.com,ada@contoso.com,oid-1,\n"
        b"case@contoso.com,,oid-2,\n"
        b"eve@contoso.com,eve@contoso.com,oid-3,E1\n"
        b"new@contoso.com,,oid-4,\n",
    )
    pages = [owner_client.get("/provisioning/matching/").content.decode()]
    response = owner_client.post("/provisioning/matching/", {"file": csv_file}, follow=True)
    pages.append(response.content.decode())
    shown = " ".join(_text(page) for page in pages)
    section = _section("going-live.md", "## 3. Check how Entra will match")
    section = section[: section.index("### Departments")]
    terms = _bold_terms(section) - GOING_LIVE_ELSEWHERE
    missing = sorted(
        term for term in terms if term not in shown and term != "Entra matching preview"
    )
    assert not missing, f"going-live.md names {missing}, which no page shows"


def _missing(guide: str, heading: str, pages: list[str]) -> list[str]:
    shown = " ".join(_text(page) for page in pages)
    terms = _bold_terms(_section(guide, heading))
    assert terms, "the section has no bold labels to check"
    return sorted(term for term in terms if term not in shown)


def test_org_chart_guide_words_are_on_the_pages(hr_admin_client, web_actor):
    from organisation.kinds import DEPARTMENT
    from organisation.services import org_record_create
    from tests.employees.conftest import bulk_employees
    from tests.factories import EmployeeFactory

    ceo = EmployeeFactory(given_name="Åsa", family_name="Öberg")
    vp = EmployeeFactory(given_name="José", family_name="Núñez", manager=ceo)
    bulk_employees(51, manager=vp)
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations", head=ceo)
    pages = [
        hr_admin_client.get(url).content.decode()
        for url in [
            "/org-chart/",
            f"/org-chart/?root={vp.public_id}",
            f"/org-chart/{vp.public_id}/children/",
            f"/employees/{vp.public_id}/",
            "/organisation/departments/chart/",
        ]
    ]
    assert not _missing("hr-web-app.md", "## Org chart", pages)


def test_self_service_guide_words_are_on_the_pages(client, employee_user, owner):
    from self_service.models import ChangeRequest, ChangeRequestStatus

    employee = employee_user.employee
    ChangeRequest.objects.create(employee=employee, field="home_address", new_value="Home")
    ChangeRequest.objects.create(
        employee=employee, field="personal_email", status=ChangeRequestStatus.REJECTED
    )
    client.force_login(employee_user)
    mine = [client.get(url).content.decode() for url in ["/me/", "/me/personal-details/"]]
    client.force_login(owner)
    hr = [
        client.get(url).content.decode()
        for url in ["/approvals/", "/settings/self-service/", f"/employees/{employee.public_id}/"]
    ]
    assert not _missing("hr-web-app.md", "### My personal details", mine + hr[2:])
    assert not _missing("hr-web-app.md", "## Approvals (HR admins)", hr)


def test_photo_approval_guide_words_are_on_the_pages(
    client, employee_user, owner, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from self_service.models import ChangeRequest, ChangeRequestStatus, FieldRule

    settings.MEDIA_ROOT = tmp_path
    FieldRule.objects.create(field="photo", needs_approval=True)
    ChangeRequest.objects.create(
        employee=employee_user.employee, field="pronouns", status=ChangeRequestStatus.REJECTED
    )
    out = io.BytesIO()
    Image.new("RGB", (200, 200), "teal").save(out, "PNG")
    employee = employee_user.employee
    client.force_login(employee_user)
    sent = client.post(
        f"/employees/{employee.public_id}/photo/",
        {"photo": SimpleUploadedFile("me.png", out.getvalue(), "image/png")},
        follow=True,
    ).content.decode()
    client.force_login(owner)
    hr = [client.get(url).content.decode() for url in ["/approvals/", "/settings/self-service/"]]
    shown = _text(sent)
    section = _section("hr-web-app.md", "### My personal details")
    # The quoted messages (in italics) about the photo, word for word around the "…".
    italics = re.findall(r"(?<![*\w])\*(?!\*)([^*]+?)\*(?![*\w])", section)
    quoted = [" ".join(phrase.split()) for phrase in italics if "photo" in phrase]
    assert len(quoted) == 2
    for phrase in quoted:
        for part in phrase.split("…"):
            assert part.strip() in shown, part
    assert "Photo Needs HR approval" in shown
    assert not _missing("hr-web-app.md", "## Approvals (HR admins)", hr)
