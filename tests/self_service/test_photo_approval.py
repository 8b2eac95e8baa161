"""An employee's own photo upload: at once by default, or waiting for HR when HR says so."""

import io
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from PIL import Image

from audit.actor import Actor
from employees.models import Employee
from employees.services import employee_delete
from notifications.models import Notification
from photos.images import SIZES
from photos.services import pending_photo_path, photo_path
from self_service.models import ChangeRequest, ChangeRequestStatus, FieldRule
from self_service.selectors import field_rules
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/settings/self-service/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def photo_needs_approval(db):
    FieldRule.objects.create(field="photo", needs_approval=True)


def _jpeg(width=800, height=600) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def _upload(client, employee, file):
    return client.post(f"/employees/{employee.public_id}/photo/", {"photo": file}, follow=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pending_url(change: ChangeRequest, size: int = 128) -> str:
    return f"/approvals/{change.public_id}/photo/{size}.jpg"


def test_the_photo_rule_defaults_to_at_once_and_hr_can_change_it(hr_admin_client):
    assert field_rules()["photo"] is False
    page = hr_admin_client.get(SETTINGS).content.decode()
    assert "<legend>Photo</legend>" in page
    data = {name: "at_once" for name in field_rules()} | {"photo": "approval"}
    response = hr_admin_client.post(SETTINGS, data)
    assert response.status_code == HTTPStatus.FOUND
    assert field_rules()["photo"] is True
    assert FieldRule.objects.get(field="photo").needs_approval is True


def test_with_the_rule_off_the_employees_photo_applies_at_once(employee_client, employee_user):
    own = employee_user.employee
    response = _upload(employee_client, own, _jpeg())
    assert response.redirect_chain[-1][0] == "/me/"
    own.refresh_from_db()
    assert own.photo_version > 0
    assert not ChangeRequest.objects.exists()
    page = employee_client.get("/me/personal-details/").content.decode()
    assert "A new photo shows at once." in page


def test_with_the_rule_on_the_photo_waits_unseen_on_the_profile(
    photo_needs_approval, employee_client, employee_user, media
):
    own = employee_user.employee
    response = _upload(employee_client, own, _jpeg())
    assert response.redirect_chain[-1][0] == "/me/personal-details/"
    page = response.content.decode()
    assert "Sent to HR for approval: photo." in page
    assert "your new photo shows once an HR admin approves it" in page
    own.refresh_from_db()
    assert own.photo_version == 0
    assert not own.changes.exists()
    change = ChangeRequest.objects.get()
    assert (change.field, change.status, change.employee) == ("photo", "pending", own)
    assert change.requested_by == employee_user
    # Processed as any photo: square JPEGs of every size, without metadata.
    for size in SIZES:
        with default_storage.open(pending_photo_path(change.new_value, size)) as file:
            stored = Image.open(file)
            stored.load()
        assert (stored.format, stored.size) == ("JPEG", (size, size))
        assert not stored.getexif()
    assert len(list(media.rglob("*.jpg"))) == len(SIZES)
    # The profile still shows the initials, not the waiting photo.
    profile = employee_client.get("/me/").content.decode()
    assert f"/employees/{own.public_id}/photo/320.jpg" not in profile
    assert change.new_value not in profile and str(change.public_id) not in profile
    assert _pending_url(change) in page  # the employee sees what they sent
    response = employee_client.get(_pending_url(change))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/jpeg"


def test_a_bad_file_is_refused_and_nothing_waits(
    photo_needs_approval, employee_client, employee_user, media
):
    file = SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg")
    response = _upload(employee_client, employee_user.employee, file)
    assert "upload a JPEG, PNG or WebP image" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not list(media.rglob("*.jpg"))


def test_hr_sees_the_waiting_photo_on_approvals_and_approves_it(
    photo_needs_approval, employee_user, media, django_capture_on_commit_callbacks
):
    own = employee_user.employee
    _upload(_client(employee_user), own, _jpeg())
    change = ChangeRequest.objects.get()
    hr_admin = HRAdminFactory()
    hr = _client(hr_admin)
    page = hr.get("/approvals/").content.decode()
    assert _pending_url(change) in page
    assert f'alt="Proposed photo of {own}"' in page
    assert hr.get(_pending_url(change)).status_code == HTTPStatus.OK
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(f"/approvals/{change.public_id}/approve/", follow=True)
    assert "Approved: photo of" in response.content.decode()
    own.refresh_from_db()
    assert own.photo_version > 0
    for size in SIZES:
        assert default_storage.exists(photo_path(own, size))
        assert not default_storage.exists(pending_photo_path(change.new_value, size))
    assert len(list(media.rglob("*.jpg"))) == len(SIZES)
    history = own.changes.get()
    assert history.actor_user == hr_admin
    assert history.changes == {"photo": [None, "new photo"]}
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeRequestStatus.APPROVED, hr_admin)
    assert hr.get(_pending_url(change)).status_code == HTTPStatus.NOT_FOUND
    profile = hr.get(f"/employees/{own.public_id}/").content.decode()
    assert f"/employees/{own.public_id}/photo/320.jpg?v={own.photo_version}" in profile


def test_rejecting_deletes_the_waiting_photo(
    photo_needs_approval, employee_user, media, django_capture_on_commit_callbacks
):
    own = employee_user.employee
    _upload(_client(employee_user), own, _jpeg())
    change = ChangeRequest.objects.get()
    hr = _client(OwnerFactory())  # owners decide too
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            f"/approvals/{change.public_id}/reject/", {"reason": "Not you"}, follow=True
        )
    assert "Rejected: photo of" in response.content.decode()
    assert not list(media.rglob("*.jpg"))
    own.refresh_from_db()
    assert own.photo_version == 0
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.REJECTED
    page = _client(employee_user).get("/me/personal-details/").content.decode()
    assert "Rejected</span> Photo, " in page and "Reason: Not you" in page
    assert change.new_value not in page


def test_a_newer_photo_replaces_the_one_waiting(
    photo_needs_approval, employee_client, employee_user, media, django_capture_on_commit_callbacks
):
    own = employee_user.employee
    _upload(employee_client, own, _jpeg())
    first = ChangeRequest.objects.get().new_value
    with django_capture_on_commit_callbacks(execute=True):
        _upload(employee_client, own, _jpeg(640, 640))
    change = ChangeRequest.objects.get()
    assert change.new_value != first
    assert len(list(media.rglob("*.jpg"))) == len(SIZES)
    assert not default_storage.exists(pending_photo_path(first, 48))


def test_only_hr_and_the_employee_see_the_waiting_photo(photo_needs_approval, employee_user):
    _upload(_client(employee_user), employee_user.employee, _jpeg())
    change = ChangeRequest.objects.get()
    colleague = UserFactory(username="colin.colleague@contoso.com")
    EmployeeFactory(user=colleague, user_name=colleague.username)
    assert _client(colleague).get(_pending_url(change)).status_code == HTTPStatus.NOT_FOUND
    assert _client(UserFactory()).get(_pending_url(change)).status_code == HTTPStatus.NOT_FOUND
    anonymous = Client().get(_pending_url(change))
    assert anonymous.status_code == HTTPStatus.FOUND
    assert "/photo/" not in anonymous["Location"].split("?")[0]
    assert _client(colleague).get("/approvals/").status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.NOT_FOUND,
    )
    assert (
        _client(colleague).post(f"/approvals/{change.public_id}/approve/").status_code
        == HTTPStatus.FORBIDDEN
    )
    assert _client(OwnerFactory()).get(_pending_url(change, 320)).status_code == HTTPStatus.OK
    assert _client(employee_user).get(_pending_url(change, 99)).status_code == 404


def test_hr_uploading_on_a_profile_still_applies_at_once(photo_needs_approval, hr_admin_client):
    employee = EmployeeFactory()
    response = _upload(hr_admin_client, employee, _jpeg())
    assert "The new photo is saved." in response.content.decode()
    assert Employee.objects.get(pk=employee.pk).photo_version > 0
    assert not ChangeRequest.objects.exists()


def test_hr_admins_are_told_of_a_waiting_photo(
    photo_needs_approval, employee_user, hr_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(_client(employee_user), employee_user.employee, _jpeg())
    change = ChangeRequest.objects.get()
    notification = Notification.objects.get(kind="self_service.change_requested")
    assert notification.recipient == hr_admin
    assert "- Photo: a new photo" in notification.body
    assert change.new_value not in notification.body
    assert [message.to for message in mail.outbox] == [[hr_admin.email]]


def test_hr_admins_own_photo_applies_at_once(photo_needs_approval, hr_admin):
    own = EmployeeFactory(user=hr_admin, user_name=hr_admin.username)
    response = _upload(_client(hr_admin), own, _jpeg())
    assert "The new photo is saved." in response.content.decode()
    assert Employee.objects.get(pk=own.pk).photo_version > 0
    assert not ChangeRequest.objects.exists()


def test_the_approvals_page_queries_stay_constant(
    photo_needs_approval, hr_admin_client, django_assert_max_num_queries
):
    for _ in range(3):
        user = UserFactory()
        employee = EmployeeFactory(user=user, user_name=user.username)
        _upload(_client(user), employee, _jpeg(200, 200))
    assert ChangeRequest.objects.count() == 3
    hr_admin_client.get("/approvals/")
    with django_assert_max_num_queries(6):
        page = hr_admin_client.get("/approvals/").content.decode()
    assert page.count("Proposed photo of") == 3


def test_deleting_the_employee_rejects_the_waiting_photo_and_deletes_it_on_commit(
    photo_needs_approval, employee_user, scim_client, media, django_capture_on_commit_callbacks
):
    own = employee_user.employee
    _upload(_client(employee_user), own, _jpeg())
    change = ChangeRequest.objects.get()
    waiting = sorted(media.rglob("*.jpg"))
    assert waiting == sorted(media / pending_photo_path(change.new_value, size) for size in SIZES)
    with django_capture_on_commit_callbacks(execute=True):
        response = scim_client.delete(f"/scim/v2/Users/{own.public_id}")
        assert response.status_code == HTTPStatus.NO_CONTENT
        assert sorted(media.rglob("*.jpg")) == waiting  # kept until the deletion commits
    assert not list(media.rglob("*.jpg"))
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.reason) == (
        ChangeRequestStatus.REJECTED,
        None,
        "The employee was deleted.",
    )
    assert change.decided_at is not None
    page = _client(HRAdminFactory()).get("/approvals/").content.decode()
    assert _pending_url(change) not in page
    assert "Rejected</span> Photo of" in page and "“The employee was deleted.”" in page


def test_a_deletion_rolled_back_keeps_the_waiting_photo(
    photo_needs_approval, employee_user, media, django_capture_on_commit_callbacks
):
    own = employee_user.employee
    _upload(_client(employee_user), own, _jpeg())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        employee_delete(employee=own, actor=Actor.system())
        raise RuntimeError
    assert callbacks == []
    assert len(list(media.rglob("*.jpg"))) == len(SIZES)
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING
