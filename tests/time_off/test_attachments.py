"""Files attached to time off requests: what is accepted, what is refused beside the field with
nothing saved, where the file is kept, and who may open it."""

import datetime as dt
import io
import re
import uuid
from http import HTTPStatus

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import RestrictedError
from PIL import Image

from accounts.roles import HR_ADMIN
from audit.actor import Actor
from audit.models import Channel
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from tests.time_off.test_api import client_for
from time_off.accrual import accrue
from time_off.attachments import MAX_BYTES
from time_off.models import Balance, LeaveType, TimeOffRequest, TimeOffRequestChange
from time_off.services import request_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # Django's test signals point default_storage there
    return tmp_path


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.fixture
def sick(db):
    return LeaveType.objects.create(name="Sick leave", needs_attachment=True, private=True)


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker.user)
    return client


def picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, kind)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def send(client, leave_type, attachment=None, **extra):
    body = {
        "leave_type": leave_type.pk,
        "start_date": "2026-12-28",
        "end_date": "2026-12-29",
        "send": "1",
        **extra,
    }
    if attachment is not None:
        body["attachment"] = attachment
    return client.post("/time-off/new/", body)


@pytest.mark.parametrize(
    ("name", "data", "content_type", "download_name"),
    [
        ("doctors-note.pdf", PDF, "application/pdf", "doctors-note.pdf"),
        ("scan.png", picture("PNG"), "image/png", "scan.png"),
        ("photo.JPEG", picture("JPEG"), "image/jpeg", "photo.jpg"),
        # The bytes decide the type, not the name the file was given.
        ("note.txt", PDF, "application/pdf", "note.pdf"),
    ],
)
def test_a_pdf_png_or_jpeg_is_stored_under_a_random_name(
    worker_client, worker, sick, media, name, data, content_type, download_name
):
    response = send(worker_client, sick, upload(name, data, "text/plain"))

    created = TimeOffRequest.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/time-off/requests/{created.public_id}/"
    assert (created.attachment_name, created.attachment_content_type) == (
        download_name,
        content_type,
    )
    assert created.attachment.startswith("time_off/attachments/")
    assert name.split(".")[0] not in created.attachment
    assert len(created.attachment.rsplit("/", 1)[1].split(".")[0]) >= 40
    assert stored_files(media) == [media / created.attachment]
    assert (media / created.attachment).read_bytes() == data
    change = TimeOffRequestChange.objects.get(request=created)
    assert change.changes["attachment"] == [None, download_name]


def test_the_attachment_is_optional_for_other_types(worker_client, vacation, policy, media):
    accrue(today=dt.date(2026, 12, 2))
    response = send(worker_client, vacation)
    assert response.status_code == HTTPStatus.FOUND
    assert TimeOffRequest.objects.get().attachment == ""
    assert stored_files(media) == []


def _refused(response, message, media):
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<p class="field-error" id="id_attachment_error">' + message in html
    assert TimeOffRequest.objects.count() == 0
    assert TimeOffRequestChange.objects.count() == 0
    assert not Balance.objects.filter(entries__isnull=False).exists()
    assert stored_files(media) == []


def test_a_type_that_needs_an_attachment_refuses_a_request_without_one(worker_client, sick, media):
    response = send(worker_client, sick)
    _refused(response, "Sick leave needs an attachment: attach a PDF, PNG or JPEG.", media)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("note.pdf", b"<html><script>alert(1)</script></html>"),
        ("note.png", b"\x89PNG\r\n\x1a\n but not really a picture"),
        ("anim.gif", picture("GIF")),  # a picture, but not a kind Alexis accepts
        ("note.jpg", picture("JPEG")[:200]),  # cut short
    ],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_is_refused(worker_client, sick, media, name, data):
    response = send(worker_client, sick, upload(name, data))
    _refused(response, "This file is not a PDF, PNG or JPEG. Attach one of those.", media)


def test_a_file_larger_than_10_mb_is_refused(worker_client, sick, media):
    data = PDF + b"0" * (MAX_BYTES + 1 - len(PDF))
    response = send(worker_client, sick, upload("big.pdf", data))
    _refused(response, "The file is larger than 10 MB. Attach a smaller one.", media)


def test_a_file_of_exactly_10_mb_is_accepted(worker_client, sick, media):
    data = PDF + b"0" * (MAX_BYTES - len(PDF))
    response = send(worker_client, sick, upload("big.pdf", data))
    assert response.status_code == HTTPStatus.FOUND
    assert (media / TimeOffRequest.objects.get().attachment).stat().st_size == MAX_BYTES


def test_an_empty_file_is_refused(worker_client, sick, media):
    response = send(worker_client, sick, upload("empty.pdf", b""))
    _refused(response, "The submitted file is empty.", media)


def test_a_refused_request_keeps_no_file(worker_client, worker, sick, media):
    request_create(
        employee=worker,
        leave_type=sick,
        start_date=dt.date(2026, 12, 28),
        end_date=dt.date(2026, 12, 28),
        attachment=upload("first.pdf", PDF),
        actor=Actor(channel=Channel.WEB, user=worker.user),
    )
    first = stored_files(media)

    response = send(worker_client, sick, upload("second.pdf", PDF))

    assert response.status_code == HTTPStatus.OK
    assert "These dates overlap your pending sick leave" in response.content.decode()
    assert TimeOffRequest.objects.count() == 1
    assert stored_files(media) == first


def test_checking_the_cost_with_a_file_says_to_choose_it_again(worker_client, sick, media):
    response = worker_client.post(
        "/time-off/new/",
        {
            "leave_type": sick.pk,
            "start_date": "2026-12-28",
            "end_date": "2026-12-29",
            "check": "1",
            "attachment": upload("note.pdf", PDF),
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Choose the attachment again before you send" in response.content.decode()
    assert TimeOffRequest.objects.count() == 0
    assert stored_files(media) == []


def test_the_form_takes_files(worker_client):
    html = worker_client.get("/time-off/new/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachment" accept=".pdf,.png,.jpg,.jpeg"' in html


def test_the_api_refuses_a_request_without_the_attachment_its_type_needs(worker, sick):
    client = client_for(worker.user)
    response = client.post(
        "/api/v1/time-off/requests/",
        {"leave_type": str(sick.public_id), "start_date": "2026-12-28", "end_date": "2026-12-28"},
        format="json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {
        "attachment": ["Sick leave needs an attachment: attach a PDF, PNG or JPEG."]
    }
    assert TimeOffRequest.objects.count() == 0


def test_hr_makes_a_leave_type_need_an_attachment(client, hr_admin):
    client.force_login(hr_admin)
    form = client.get("/time-off/settings/leave-types/new/").content.decode()
    assert "Needs an attachment" in form
    response = client.post(
        "/time-off/settings/leave-types/new/",
        {"name": "Sick leave", "unit": "days", "needs_attachment": "on", "color": "#aa0000"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert LeaveType.objects.get(name="Sick leave").needs_attachment is True


# --- Opening the file -------------------------------------------------------------------------


@pytest.fixture
def with_file(worker, sick):
    return request_create(
        employee=worker,
        leave_type=sick,
        start_date=dt.date(2026, 12, 28),
        end_date=dt.date(2026, 12, 29),
        note="Flu",
        attachment=upload('../x"; evil.pdf', PDF),
        actor=Actor(channel=Channel.WEB, user=worker.user),
    )


def _colleague():
    user = UserFactory(username="carl.colleague@contoso.com")
    EmployeeFactory(user=user, user_name=user.username)
    return user


def _other_manager(worker):
    """A manager of someone else (the worker's manager's peer)."""
    user = UserFactory(username="otto.other@contoso.com")
    boss = EmployeeFactory(user=user, user_name=user.username)
    EmployeeFactory(manager=boss)
    return user


def _hr_admin_with_record():
    user = HRAdminFactory(username="hanna.hr@contoso.com")
    EmployeeFactory(user=user, user_name=user.username)
    return user


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("worker", HTTPStatus.OK),
        ("approver", HTTPStatus.OK),
        ("hr_admin", HTTPStatus.OK),
        ("hr_admin_with_record", HTTPStatus.OK),
        ("owner", HTTPStatus.OK),
        ("colleague", HTTPStatus.FORBIDDEN),
        ("other_manager", HTTPStatus.FORBIDDEN),
        ("no_record", HTTPStatus.FORBIDDEN),
        ("staff_without_role", HTTPStatus.FORBIDDEN),
    ],
)
def test_who_opens_the_attachment(client, with_file, worker, manager_user, who, expected):
    users = {
        "worker": lambda: worker.user,
        "approver": lambda: manager_user,
        "hr_admin": lambda: HRAdminFactory(username="harry.hr"),
        "hr_admin_with_record": _hr_admin_with_record,
        "owner": lambda: OwnerFactory(username="olivia.owner"),
        "colleague": _colleague,
        "other_manager": lambda: _other_manager(worker),
        "no_record": lambda: UserFactory(username="nora.norecord"),
        "staff_without_role": lambda: UserFactory(username="sam.staff", is_staff=True),
    }
    client.force_login(users[who]())

    response = client.get(f"/time-off/requests/{with_file.public_id}/attachment/")

    assert response.status_code == expected
    if expected == HTTPStatus.OK:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="x evil.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_signed_out_people_are_sent_to_sign_in(client, with_file):
    response = client.get(f"/time-off/requests/{with_file.public_id}/attachment/")
    assert response.status_code == HTTPStatus.FOUND
    assert "/attachment/" not in response["Location"].split("?")[0]


def test_unknown_requests_and_requests_without_a_file_are_not_found(
    client, hr_admin, worker, vacation, with_file
):
    plain = request_create(
        employee=worker,
        leave_type=vacation,
        start_date=dt.date(2027, 1, 4),
        end_date=dt.date(2027, 1, 4),
        actor=Actor(channel=Channel.WEB, user=worker.user),
    )
    client.force_login(hr_admin)
    for public_id in (uuid.uuid4(), plain.public_id):
        response = client.get(f"/time-off/requests/{public_id}/attachment/")
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_former_approver_no_longer_opens_it(client, with_file, worker, manager_user):
    """When the manager changes, the pending request and its file go to the new manager."""
    from employees.models import Employee
    from time_off.services import requests_reassign

    new_user = UserFactory(username="nina.newmanager@contoso.com")
    new_manager = EmployeeFactory(user=new_user, user_name=new_user.username)
    Employee.objects.filter(pk=worker.pk).update(manager=new_manager)
    worker.refresh_from_db()
    requests_reassign(employee_ids=[worker.pk], actor=Actor(channel=Channel.SCIM))

    client.force_login(manager_user)
    url = f"/time-off/requests/{with_file.public_id}/attachment/"
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(new_user)
    assert client.get(url).status_code == HTTPStatus.OK


def test_the_request_page_links_the_attachment(
    client, with_file, worker, manager_user, django_assert_max_num_queries
):
    url = f"/time-off/requests/{with_file.public_id}/"
    for user in (worker.user, manager_user):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert (
            f'<a href="/time-off/requests/{with_file.public_id}/attachment/" download>'
            "Download x evil.pdf</a>"
        ) in html
    with django_assert_max_num_queries(6):
        client.get(f"/time-off/requests/{with_file.public_id}/attachment/")


def test_hr_admin_group_is_enough(client, with_file):
    from django.contrib.auth.models import Group

    user = UserFactory(username="gina.group")
    user.groups.add(Group.objects.get(name=HR_ADMIN))
    client.force_login(user)
    response = client.get(f"/time-off/requests/{with_file.public_id}/attachment/")
    assert response.status_code == HTTPStatus.OK


def test_the_django_admin_shows_the_option_and_the_file_name(client, with_file, sick):
    staff = OwnerFactory(username="staff.owner", is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(f"/admin/time_off/leavetype/{sick.pk}/change/").content.decode()
    assert "Needs an attachment" in page
    assert re.search(r'<input[^>]*name="needs_attachment"[^>]*checked', page)
    page = client.get(f"/admin/time_off/timeoffrequest/{with_file.pk}/change/").content.decode()
    assert "Attachment file name" in page
    assert "x evil.pdf" in page
    assert with_file.attachment not in page  # the storage name stays out of sight


def test_a_refused_denial_still_links_the_attachment(client, with_file, manager_user):
    client.force_login(manager_user)
    response = client.post(f"/time-off/requests/{with_file.public_id}/decide/", {"deny": "1"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Download x evil.pdf" in response.content.decode()


def test_deleting_the_employee_removes_their_files_once_the_deletion_commits(
    with_file, worker, sick, media, django_capture_on_commit_callbacks
):
    kept = request_create(
        employee=EmployeeFactory(user_name="olga.other@contoso.com"),
        leave_type=sick,
        start_date=dt.date(2026, 12, 28),
        end_date=dt.date(2026, 12, 28),
        attachment=upload("other.pdf", PDF),
        actor=Actor(channel=Channel.WEB, user=None),
    )
    assert len(stored_files(media)) == 2

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        worker.delete()
    # Until the deletion commits, the file is still there.
    assert len(stored_files(media)) == 2
    for callback in callbacks:
        callback()

    assert not TimeOffRequest.objects.filter(pk=with_file.pk).exists()
    assert stored_files(media) == [media / kept.attachment]


def test_a_deletion_that_rolls_back_keeps_the_file(with_file, worker, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        worker.delete()
        raise RuntimeError("the deleting transaction fails")

    assert TimeOffRequest.objects.filter(pk=with_file.pk).exists()
    assert stored_files(media) == [media / with_file.attachment]


def test_deleting_a_request_with_its_ledger_lines_removes_its_file(
    with_file, media, django_capture_on_commit_callbacks
):
    # While its ledger lines explain the balance, a request cannot go alone.
    with pytest.raises(RestrictedError), transaction.atomic():
        TimeOffRequest.objects.get(pk=with_file.pk).delete()
    assert stored_files(media) == [media / with_file.attachment]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with_file.entries.all().delete()
        with_file.delete()

    assert stored_files(media) == []
