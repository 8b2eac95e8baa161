"""The Entra matching preview: Entra's user list against the employees, and the fixes."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import Channel
from employees.models import Employee, EmployeeChange
from entra_matching.models import EntraUserList
from entra_matching.parsing import parse_entra_csv, parse_pasted
from entra_matching.selectors import matching_report
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

# The header row of the Entra admin center's "Download users" file, with employeeId added.
ENTRA_HEADER = (
    "userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,"
    "accountEnabled,usageLocation,employeeId\n"
)


def entra_csv(*rows):
    lines = [ENTRA_HEADER]
    for upn, mail, object_id, enabled, employee_id in rows:
        lines.append(
            f"{upn},Name,Surname,{mail},Given,{object_id},Member,,,{enabled},SE,{employee_id}\n"
        )
    return "".join(lines).encode()


def test_entra_csv_is_read_by_its_headers():
    users = parse_entra_csv(
        entra_csv(
            ("ada@contoso.com", "ada@contoso.com", "oid-1", "True", "E1"),
            ("bob@contoso.com", "", "oid-2", "False", ""),
        )
    )
    assert users == [
        {
            "upn": "ada@contoso.com",
            "mail": "ada@contoso.com",
            "employee_id": "E1",
            "display_name": "Name",
            "enabled": True,
            "object_id": "oid-1",
        },
        {
            "upn": "bob@contoso.com",
            "mail": "",
            "employee_id": "",
            "display_name": "Name",
            "enabled": False,
            "object_id": "oid-2",
        },
    ]
    assert parse_pasted("a@x.com\nb@x.com, c@x.com")[2]["upn"] == "c@x.com"


def test_report_sorts_every_case():
    matched = EmployeeFactory(user_name="ada@contoso.com")
    case = EmployeeFactory(user_name="Bob@Contoso.com")
    duplicate = EmployeeFactory(user_name="carol.smith@contoso.com", work_email="carol@contoso.com")
    by_number = EmployeeFactory(user_name="dan.old@contoso.com", employee_number="E77")
    twin_a = EmployeeFactory(user_name="eve1@contoso.com", work_email="eve@contoso.com")
    twin_b = EmployeeFactory(user_name="eve2@contoso.com", employee_number="E88")
    hr_only = EmployeeFactory(user_name="hr.only@contoso.com")
    users = parse_entra_csv(
        entra_csv(
            ("ada@contoso.com", "ada@contoso.com", "o1", "True", ""),
            ("bob@contoso.com", "", "o2", "True", ""),
            ("carol@contoso.com", "carol@contoso.com", "o3", "True", ""),
            ("dan@contoso.com", "", "o4", "True", "E77"),
            ("eve@contoso.com", "eve@contoso.com", "o5", "True", "E88"),
            ("new@contoso.com", "new@contoso.com", "o6", "True", ""),
        )
    )
    report = matching_report(users)
    assert [e.employee["pk"] for e in report.matched] == [matched.pk]
    assert [e.employee["pk"] for e in report.letter_case] == [case.pk]
    assert [
        (e.user["upn"], e.candidates[0].employee["pk"], e.candidates[0].reasons)
        for e in report.duplicates
    ] == [
        ("carol@contoso.com", duplicate.pk, ["email carol@contoso.com"]),
        ("dan@contoso.com", by_number.pk, ["employee id E77"]),
    ]
    assert {c.employee["pk"] for c in report.several[0].candidates} == {twin_a.pk, twin_b.pk}
    assert [e.user["upn"] for e in report.created] == ["new@contoso.com"]
    assert [e["pk"] for e in report.hr_only] == [hr_only.pk]
    assert report.provisioning_started is False


def test_drift_after_go_live():
    synced = EmployeeFactory(user_name="gone@contoso.com", last_synced_at=timezone.now())
    never = EmployeeFactory(user_name="never@contoso.com")
    report = matching_report(parse_pasted("never@contoso.com"))
    assert report.provisioning_started
    assert [e["pk"] for e in report.no_longer_sent] == [synced.pk]
    assert [e.employee["pk"] for e in report.never_provisioned] == [never.pk]


def test_owner_uploads_sees_and_fixes_a_duplicate(owner_client, owner):
    employee = EmployeeFactory(user_name="carol.smith@contoso.com", work_email="carol@contoso.com")
    response = owner_client.post(
        reverse("entra_matching:start"),
        {
            "file": SimpleUploadedFile(
                "users.csv",
                entra_csv(("carol@contoso.com", "carol@contoso.com", "oid-3", "True", "")),
            )
        },
    )
    user_list = EntraUserList.objects.get()
    report_url = reverse("entra_matching:report", kwargs={"public_id": user_list.public_id})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == report_url
    page = owner_client.get(report_url).content.decode()
    assert "Will be created as a duplicate" in page
    assert "Set user name to carol@contoso.com" in page
    fix_url = reverse("entra_matching:fix", kwargs={"public_id": user_list.public_id})
    response = owner_client.post(
        fix_url, {"index": "0", "employee": str(employee.public_id), "fix": "user_name"}
    )
    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert employee.user_name == "carol@contoso.com"
    change = EmployeeChange.objects.get(employee=employee)
    assert change.changes == {"user_name": ["carol.smith@contoso.com", "carol@contoso.com"]}
    assert change.channel == Channel.WEB and change.actor_user == owner
    owner_client.post(
        fix_url, {"index": "0", "employee": str(employee.public_id), "fix": "external_id"}
    )
    assert Employee.objects.get(pk=employee.pk).external_id == "oid-3"
    page = owner_client.get(report_url).content.decode()
    assert "Nothing to check" in page


def test_fix_refuses_a_taken_user_name_with_a_message(owner_client):
    EmployeeFactory(user_name="carol@contoso.com")
    other = EmployeeFactory(user_name="c.smith@contoso.com")
    user_list = EntraUserList.objects.create(users=parse_pasted("carol@contoso.com"), source="x")
    fix_url = reverse("entra_matching:fix", kwargs={"public_id": user_list.public_id})
    response = owner_client.post(
        fix_url, {"index": "0", "employee": str(other.public_id), "fix": "user_name"}, follow=True
    )
    assert "An employee with this user name already exists." in response.content.decode()
    assert (
        owner_client.post(
            fix_url,
            {"index": "9", "employee": str(other.public_id), "fix": "user_name"},
            follow=True,
        ).status_code
        == HTTPStatus.OK
    )
    assert Employee.objects.get(pk=other.pk).user_name == "c.smith@contoso.com"


def test_bad_uploads_are_refused_beside_the_field(owner_client):
    url = reverse("entra_matching:start")
    response = owner_client.post(url, {"file": SimpleUploadedFile("u.csv", b"name,email\nx,y\n")})
    assert "No userPrincipalName column" in response.content.decode()
    response = owner_client.post(url, {"pasted": "not-a-upn"})
    assert "Not a user principal name: not-a-upn." in response.content.decode()
    response = owner_client.post(url, {})
    assert "Upload Entra&#x27;s CSV or paste user principal names." in response.content.decode()
    assert not EntraUserList.objects.exists()


def test_only_owners(hr_admin_client, employee_client):
    user_list = EntraUserList.objects.create(users=parse_pasted("a@x.com"), source="x")
    for client in (hr_admin_client, employee_client):
        assert client.get(reverse("entra_matching:start")).status_code == HTTPStatus.FORBIDDEN
        assert (
            client.get(
                reverse("entra_matching:report", kwargs={"public_id": user_list.public_id})
            ).status_code
            == HTTPStatus.FORBIDDEN
        )
        assert (
            client.post(
                reverse("entra_matching:fix", kwargs={"public_id": user_list.public_id})
            ).status_code
            == HTTPStatus.FORBIDDEN
        )


def test_report_queries_do_not_grow(owner_client, django_assert_max_num_queries):
    EmployeeFactory.create_batch(30)
    user_list = EntraUserList.objects.create(
        users=parse_pasted(" ".join(f"u{i}@x.com" for i in range(300))), source="x"
    )
    with django_assert_max_num_queries(12):
        owner_client.get(
            reverse("entra_matching:report", kwargs={"public_id": user_list.public_id})
        )
