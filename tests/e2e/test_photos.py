"""Photos in a real browser: HR uploads one, faces show on the pages, initials elsewhere."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, HRAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png(path):
    image = Image.new("RGB", (600, 400), (40, 90, 200))
    for x in range(200, 400):
        for y in range(100, 300):
            image.putpixel((x, y), (250, 200, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_hr_uploads_a_photo_and_faces_show_everywhere(page, sign_in, screenshot, tmp_path):
    ceo = EmployeeFactory(given_name="Åsa", family_name="Öberg", title="Chief Executive")
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", title="Engineer", manager=ceo)
    HRAdminFactory(username="hana.hr")
    sign_in("hana.hr")

    page.goto(f"/employees/{ada.public_id}/")
    expect(page.locator(".profile-head .avatar.initials")).to_have_text("AL")
    page.get_by_label("Add a photo").set_input_files(str(_png(tmp_path / "ada.png")))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The new photo is saved.")).to_be_visible()
    photo = page.locator(".profile-head img.avatar")
    expect(photo).to_be_visible()
    # Visible is not loaded: wait for the image itself (a busy machine serves it later).
    loaded_width = photo.evaluate(
        "img => img.complete ? img.naturalWidth"
        " : new Promise(done => img.addEventListener('load', () => done(img.naturalWidth)))"
    )
    assert loaded_width == 320
    screenshot("profile-photo")

    page.goto("/employees/")
    row = page.locator("#directory-results tbody tr", has_text="Lovelace")
    assert (
        row.locator("img.avatar").evaluate("img => img.decode().then(() => img.naturalWidth)") == 48
    )
    expect(
        page.locator("#directory-results tbody tr", has_text="Öberg").locator(".initials")
    ).to_have_text("ÅÖ")
    screenshot("directory-faces")

    page.goto("/org-chart/")
    page.get_by_role("link", name=re.compile(r"^Show the \d+ reports? of Åsa Öberg$")).click()
    expect(page.locator(".org-node img.avatar")).to_have_count(1)
    screenshot("org-chart-faces")

    page.goto(f"/employees/{ada.public_id}/")
    page.get_by_role("button", name="Remove photo").click()
    expect(page.get_by_text("The photo was removed.")).to_be_visible()
    expect(page.locator(".profile-head .avatar.initials")).to_have_text("AL")
