"""Attachments in a real browser: HR makes sick leave need one, an employee is told beside the
field when it is missing or not a PDF, PNG or JPEG, sends one, and they and their manager
download it from the request page."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory
from time_off.models import LeaveType, TimeOffRequest

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def person(username, given, family, **fields):
    user = UserFactory(username=username, email=username, first_name=given, last_name=family)
    return EmployeeFactory(
        user=user, user_name=username, given_name=given, family_name=family, **fields
    )


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_sick_leave_with_a_doctors_note(page, sign_in, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    traveller = time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=True)
    traveller.start()
    try:
        _story(page, sign_in, screenshot, tmp_path)
    finally:
        traveller.stop()


def _story(page, sign_in, screenshot, media):
    HRAdminFactory(username="harry.hradmin", first_name="Harry", last_name="Hradmin")
    manager = person("maria.manager@contoso.com", "Maria", "Manager")
    person("will.worker@contoso.com", "Will", "Worker", manager=manager)

    # HR makes sick leave need an attachment.
    sign_in("harry.hradmin")
    page.get_by_role("link", name="Time off", exact=True).click()
    page.get_by_role("link", name="Time off settings").click()
    page.get_by_role("link", name="Add leave type").click()
    page.get_by_label("Name").fill("Sick leave")
    page.get_by_label("Needs an attachment").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Leave type saved.")
    assert LeaveType.objects.get(name="Sick leave").needs_attachment
    sign_out(page)

    sign_in("will.worker@contoso.com")
    page.get_by_role("link", name="Time off", exact=True).click()
    page.get_by_role("link", name="Request time off").click()
    page.get_by_label("Type").select_option(label="Sick leave")
    page.get_by_label("First day", exact=True).fill("2026-12-28")
    page.get_by_label("Last day", exact=True).fill("2026-12-28")

    # Without a file, and with a file that is not a PDF, PNG or JPEG: told beside the field.
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#id_attachment_error")).to_have_text(
        "Sick leave needs an attachment: attach a PDF, PNG or JPEG."
    )
    page.get_by_label("Attachment").set_input_files(
        files=[{"name": "note.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}]
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#id_attachment_error")).to_have_text(
        "This file is not a PDF, PNG or JPEG. Attach one of those."
    )
    assert TimeOffRequest.objects.count() == 0
    assert not [path for path in media.rglob("*") if path.is_file()]

    # With a doctor's note the request is sent, and its page links the file.
    page.get_by_label("Attachment").set_input_files(
        files=[{"name": "doctors-note.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot("time-off-attachment")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("Request sent for approval.")
    link = page.get_by_role("link", name="Download doctors-note.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "doctors-note.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    request_url = page.url
    sign_out(page)

    # The manager, who approves, opens it too.
    sign_in("maria.manager@contoso.com")
    page.goto(request_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download doctors-note.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
