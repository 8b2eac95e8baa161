"""Employee photos: upload, square sizes without metadata, who may change them, serving."""

import io
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from employees.models import ChangeAction, Channel, Employee
from employees.services import employee_delete
from photos.images import SIZES
from photos.services import photo_path
from photos.templatetags.photos import avatar, colour_index, initials
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # Django's test signals point default_storage there
    return tmp_path


def _jpeg(width=800, height=600, *, gps=True) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°
    if gps:
        exif[0x8825] = {1: "N", 2: (59.0, 19.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def _upload(client, employee, file):
    return client.post(f"/employees/{employee.public_id}/photo/", {"photo": file}, follow=True)


def test_hr_uploads_a_photo_stored_as_square_sizes_without_metadata(hr_admin_client):
    employee = EmployeeFactory()
    response = _upload(hr_admin_client, employee, _jpeg())

    assert response.status_code == HTTPStatus.OK
    assert "The new photo is saved." in response.content.decode()
    employee.refresh_from_db()
    assert employee.photo_version > 0
    for size in SIZES:
        with default_storage.open(photo_path(employee, size)) as file:
            stored = Image.open(file)
            stored.load()
        assert stored.format == "JPEG"
        assert stored.size == (size, size)
        assert not stored.getexif()
        assert "exif" not in stored.info
    change = employee.changes.get()
    assert (change.action, change.changes) == (ChangeAction.UPDATED, {"photo": [None, "new photo"]})


def test_a_photo_is_served_to_signed_in_people_only(hr_admin_client):
    employee = EmployeeFactory()
    _upload(hr_admin_client, employee, _jpeg())
    employee.refresh_from_db()
    url = f"/employees/{employee.public_id}/photo/128.jpg"

    response = hr_admin_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (128, 128)
    assert Client().get(url).status_code == HTTPStatus.FOUND  # sign in first
    assert hr_admin_client.get(url.replace("128", "999")).status_code == HTTPStatus.NOT_FOUND


def test_pages_show_the_photo_or_initials(hr_admin_client):
    with_photo = EmployeeFactory(given_name="Ada", family_name="Lovelace")
    without = EmployeeFactory(given_name="Alan", family_name="Turing")
    _upload(hr_admin_client, with_photo, _jpeg())
    with_photo.refresh_from_db()

    directory = hr_admin_client.get("/employees/").content.decode()
    assert f'src="/employees/{with_photo.public_id}/photo/48.jpg?v={with_photo.photo_version}"' in (
        directory
    )
    assert f'avatar-c{colour_index("Alan Turing")}" aria-hidden="true">AT</span>' in directory
    profile = hr_admin_client.get(f"/employees/{with_photo.public_id}/").content.decode()
    assert "photo/320.jpg" in profile
    assert "Change photo" in profile
    assert "Add a photo" in hr_admin_client.get(f"/employees/{without.public_id}/").content.decode()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg"), "not a photo"),
        (SimpleUploadedFile("x.gif", b"GIF89a" + b"\x00" * 50, "image/gif"), "not a photo"),
        (SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1), "image/jpeg"), "5 MB"),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused(hr_admin_client, file, message, media):
    employee = EmployeeFactory()
    response = _upload(hr_admin_client, employee, file)
    assert message in response.content.decode()
    employee.refresh_from_db()
    assert employee.photo_version == 0
    assert not employee.changes.exists()
    assert not list(media.rglob("*.jpg"))


def test_a_tiny_picture_is_refused(hr_admin_client):
    employee = EmployeeFactory()
    response = _upload(hr_admin_client, employee, _jpeg(20, 20))
    assert "too small" in response.content.decode()


def test_employees_change_their_own_photo_but_not_a_colleagues(employee_client, employee_user):
    colleague = EmployeeFactory()
    response = _upload(employee_client, colleague, _jpeg())
    assert response.status_code == HTTPStatus.FORBIDDEN
    own = employee_user.employee
    response = _upload(employee_client, own, _jpeg())
    assert response.redirect_chain[-1][0] == "/me/"
    own.refresh_from_db()
    assert own.photo_version > 0


def test_removing_a_photo_deletes_its_files(
    hr_admin_client, media, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory()
    _upload(hr_admin_client, employee, _jpeg())
    employee.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_admin_client.post(
            f"/employees/{employee.public_id}/photo/", {"remove": "1"}, follow=True
        )
    assert "The photo was removed." in response.content.decode()
    assert Employee.objects.get(pk=employee.pk).photo_version == 0
    assert not list(media.rglob("*.jpg"))


def test_a_new_photo_replaces_the_old_files(
    hr_admin_client, media, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory()
    _upload(hr_admin_client, employee, _jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        _upload(hr_admin_client, employee, _jpeg(gps=False))
    assert len(list(media.rglob("*.jpg"))) == len(SIZES)


def test_deleting_the_employee_deletes_their_photo_on_commit(
    hr_admin_client, web_actor, media, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory()
    _upload(hr_admin_client, employee, _jpeg())
    employee.refresh_from_db()
    stored = sorted(media.rglob("*.jpg"))
    assert stored == sorted(media / photo_path(employee, size) for size in SIZES)
    with django_capture_on_commit_callbacks(execute=True):
        employee_delete(employee=employee, actor=web_actor)
        assert sorted(media.rglob("*.jpg")) == stored  # kept until the deletion commits
    assert not list(media.rglob("*.jpg"))
    assert Employee.objects.get(pk=employee.pk).photo_version == 0
    removed = employee.changes.order_by("-id").first()
    assert (removed.action, removed.channel, removed.actor_user, removed.changes) == (
        ChangeAction.UPDATED,
        Channel.WEB,
        web_actor.user,
        {"photo": ["photo", None]},
    )
    # HR still reads the deleted employee's profile: their initials, not a missing picture.
    profile = hr_admin_client.get(f"/employees/{employee.public_id}/").content.decode()
    assert f"/employees/{employee.public_id}/photo/" not in profile


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Åsa Öberg", "ÅÖ"), ("Zoë", "Z"), ("Mary-Jane van der Berg", "MB"), ("", "?")],
)
def test_initials(name, letters):
    assert initials(name) == letters


def test_the_colour_is_the_same_for_the_same_name():
    employee = Employee(given_name="Ada", family_name="Lovelace", user_name="ada@contoso.com")
    assert avatar(employee) == avatar(employee)
    assert f"avatar-c{colour_index('ada lovelace')}" in avatar(employee)
