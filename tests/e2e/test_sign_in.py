import pytest

from tests.factories import HRAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_admin_signs_in_and_sees_home(page, sign_in, screenshot):
    HRAdminFactory(username="hana.hr")
    sign_in("hana.hr")
    assert page.get_by_role("heading", name="Home").is_visible()
    screenshot("home")
