"""Attachments through the public API: sent with the request as multipart/form-data, checked
as on the web (size, kind, the person's own request), listed and downloaded by the people who
may open them, with JSON errors."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import Group

from accounts.roles import OWNER
from tests.factories import EmployeeFactory, UserFactory
from tests.time_off.test_api import client_for
from tests.time_off.test_attachments import PDF, picture, stored_files, upload
from time_off.attachments import MAX_BYTES
from time_off.models import LeaveType, TimeOffRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/time-off/requests/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def sick(db):
    return LeaveType.objects.create(name="Sick leave", needs_attachment=True, private=True)


def body(leave_type, **fields):
    return {
        "leave_type": str(leave_type.public_id),
        "start_date": "2026-12-28",
        "end_date": "2026-12-29",
        "note": "Flu",
        **fields,
    }


def test_a_request_with_its_file_is_made_and_the_file_downloaded(worker, sick, media):
    client = client_for(worker.user)

    response = client.post(URL, body(sick, attachment=upload("note.pdf", PDF)), format="multipart")

    assert response.status_code == HTTPStatus.CREATED
    created = TimeOffRequest.objects.get()
    assert response.json()["attachment"] == {
        "name": "note.pdf",
        "content_type": "application/pdf",
        "url": f"/api/v1/time-off/requests/{created.public_id}/attachment/",
    }
    assert (response.json()["amount"], response.json()["note"]) == ("2.00", "Flu")
    assert stored_files(media) == [media / created.attachment]

    download = client.get(response.json()["attachment"]["url"])
    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="note.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]


def test_multipart_without_a_file_works_for_types_that_need_none(worker, vacation, policy):
    from time_off.accrual import accrue

    accrue(today=dt.date(2026, 12, 2))
    client = client_for(worker.user)
    response = client.post(URL, body(vacation, ends_at_noon="true"), format="multipart")
    assert response.status_code == HTTPStatus.CREATED
    assert (response.json()["amount"], response.json()["attachment"]) == ("1.50", None)


@pytest.mark.parametrize(
    ("attachment", "message"),
    [
        (None, "Sick leave needs an attachment: attach a PDF, PNG or JPEG."),
        (
            upload("note.pdf", b"<html><script>alert(1)</script></html>"),
            "This file is not a PDF, PNG or JPEG. Attach one of those.",
        ),
        (
            upload("anim.gif", picture("GIF"), "image/gif"),
            "This file is not a PDF, PNG or JPEG. Attach one of those.",
        ),
        (
            upload("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
            "The file is larger than 10 MB. Attach a smaller one.",
        ),
    ],
)
def test_a_missing_or_refused_file_is_a_json_error_and_nothing_is_kept(
    worker, sick, media, attachment, message
):
    client = client_for(worker.user)
    fields = body(sick) if attachment is None else body(sick, attachment=attachment)

    response = client.post(URL, fields, format="multipart")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {"attachment": [message]}
    assert TimeOffRequest.objects.count() == 0
    assert stored_files(media) == []


def test_text_no_column_can_store_is_refused_naming_the_field(worker, sick, media):
    client = client_for(worker.user)
    response = client.post(
        URL, body(sick, note="Flu\x00", attachment=upload("n.pdf", PDF)), format="multipart"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["errors"]) == ["note"]
    assert stored_files(media) == []


def test_a_token_of_someone_without_an_employee_record_cannot_upload(sick, media):
    client = client_for(UserFactory(username="olivia.owner"))
    response = client.post(URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert stored_files(media) == []


def test_other_bodies_stay_json_only(worker, sick):
    client = client_for(worker.user)
    pending = client.post(URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart")
    response = client.post(f"{URL}{pending.json()['id']}/approve/", {}, format="multipart")
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


@pytest.mark.parametrize("who", ["worker", "owner"])
def test_the_list_names_the_file_and_the_token_s_owner_downloads_it(worker, sick, who):
    made = client_for(worker.user).post(
        URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart"
    )
    user = worker.user if who == "worker" else UserFactory(username="olivia.owner")
    client = client_for(user)

    download = client.get(f"{URL}{made.json()['id']}/attachment/")
    listed = client.get(URL).json()["results"][0]["attachment"]

    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content) == PDF
    assert listed["name"] == "n.pdf"


def test_a_token_whose_person_is_no_longer_an_owner_downloads_nothing(worker, sick):
    client = client_for(worker.user)
    made = client.post(URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart")
    worker.user.groups.remove(Group.objects.get(name=OWNER))

    response = client.get(f"{URL}{made.json()['id']}/attachment/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "authentication_failed"


def test_the_attachment_stays_out_of_responses_for_people_who_may_not_open_it(
    worker, sick, manager_user
):
    """Tokens act for owners, who open every file; the rule is the web's all the same."""
    from time_off.serializers import TimeOffRequestSerializer

    made = client_for(worker.user).post(
        URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart"
    )
    request = TimeOffRequest.objects.get(public_id=made.json()["id"])
    colleague = UserFactory(username="carl.colleague@contoso.com")
    EmployeeFactory(user=colleague, user_name=colleague.username)

    def shown(viewer):
        return TimeOffRequestSerializer(request, context={"viewer": viewer}).data["attachment"]

    assert shown(manager_user)["name"] == "n.pdf"
    assert shown(colleague) is None
    assert shown(None) is None  # webhook events


def test_unknown_requests_and_requests_without_a_file_are_json_404s(worker, vacation, policy):
    from time_off.accrual import accrue

    accrue(today=dt.date(2026, 12, 2))
    client = client_for(worker.user)
    plain = client.post(URL, body(vacation), format="json").json()["id"]
    for request_id in (plain, "00000000-0000-0000-0000-000000000000", "not-an-id"):
        response = client.get(f"{URL}{request_id}/attachment/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response["Content-Type"] == "application/json"


def test_reading_needs_a_token(worker, sick, client):
    made = client_for(worker.user).post(
        URL, body(sick, attachment=upload("n.pdf", PDF)), format="multipart"
    )
    response = client.get(f"{URL}{made.json()['id']}/attachment/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
