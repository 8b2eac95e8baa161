"""Teams in a real browser: an HR admin filters the directory by team and opens a team."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from employees.models import Channel
from employees.services import Actor
from teams.services import team_create
from tests.factories import EmployeeFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def platform():
    # The cache table outlives the flush between live-server tests: drop the lists that
    # earlier tests cached (teams, filter values), as a new deployment starts without them.
    cache.clear()
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", title="Engineer")
    alan = EmployeeFactory(given_name="Alan", family_name="Turing", title="Researcher")
    EmployeeFactory(given_name="Grace", family_name="Hopper", title="Admiral")
    team_create(actor=Actor(channel=Channel.SCIM), display_name="Board")
    return team_create(
        actor=Actor(channel=Channel.SCIM),
        display_name="Platform",
        external_id="entra-group-7",
        member_ids=[str(ada.public_id), str(alan.public_id)],
    )


def test_hr_admin_filters_the_directory_by_team_and_opens_the_team(
    page, sign_in, screenshot, platform
):
    HRAdminFactory(username="hana.hr", first_name="Hana", last_name="Holm")
    sign_in("hana.hr")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Employees").click()
    expect(page.get_by_text("3 employees")).to_be_visible()
    page.get_by_label("Team").select_option(label="Platform")
    rows = page.locator("#directory-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lovelace, Ada")
    expect(rows.nth(1)).to_contain_text("Turing, Alan")
    expect(page).to_have_url(re.compile(rf"team={platform.public_id}"))
    screenshot("directory-team-filter")

    rows.nth(0).get_by_role("link", name="Lovelace, Ada").click()
    teams = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Teams")))
    expect(teams).to_contain_text("Platform")
    screenshot("profile-teams")

    teams.get_by_role("link", name="Platform").click()
    expect(page.get_by_role("heading", level=1, name="Platform")).to_be_visible()
    expect(page.get_by_text("Managed by Microsoft Entra ID over SCIM.")).to_be_visible()
    members = page.locator("table.directory tbody tr")
    expect(members).to_have_count(2)
    expect(page.locator("table.history")).to_contain_text("Members added")
    screenshot("team")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", level=1, name="Teams")).to_be_visible()
    platform_row = page.locator("tbody tr", has=page.get_by_role("link", name="Platform"))
    expect(platform_row.locator('td[data-label="Members"]')).to_have_text("2")
    screenshot("teams")

    page.get_by_role("link", name="Platform").click()
    page.get_by_role("link", name="Show in the directory").click()
    expect(page.locator("#directory-results tbody tr")).to_have_count(2)
    expect(page.get_by_label("Team")).to_have_value(str(platform.public_id))


def test_employee_sees_own_teams_on_my_profile(page, sign_in, screenshot, platform):
    user = UserFactory(username="ada.lovelace")
    ada = platform.members.get(given_name="Ada")
    ada.user = user
    ada.save()
    sign_in("ada.lovelace")

    page.get_by_role("link", name="My profile").click()
    teams = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Teams")))
    expect(teams).to_contain_text("Platform")
    expect(teams.get_by_role("link")).to_have_count(0)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams")
    ).to_have_count(0)
    screenshot("my-profile-teams")
