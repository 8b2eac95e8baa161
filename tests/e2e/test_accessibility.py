"""Accessibility: axe-core finds no serious or critical violation on the main pages,
on a desktop and on a 390 px phone."""

from pathlib import Path

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from entra_matching.models import EntraUserList
from tests.e2e.conftest import PASSWORD
from tests.factories import EmployeeFactory, OwnerFactory, ProvisioningEventFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as a script of the page; the app's CSP (script-src 'self') would refuse
    # it, so this context alone bypasses CSP. Other browser tests keep the CSP on.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _checked_import(user):
    """An uploaded file checked as far as the preview, with an error row."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.services import import_check_run, import_check_start, import_upload

    content = (
        b"User name,Given name,Family name,Work email,Work phone\n"
        b"new1@contoso.com,New,One,new1@contoso.com,+46 8 123 456 78\n"
        b"new2@contoso.com,New,Two,new2@contoso.com,123\n"
    )
    employee_import = import_upload(
        uploaded_file=SimpleUploadedFile("staff.csv", content), user=user
    )
    mapping = {int(k): v for k, v in employee_import.mapping.items()}
    import_check_start(employee_import=employee_import, mapping=mapping, override_entra=False)
    import_check_run(import_id=employee_import.pk)
    return employee_import


def _violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map("
        "n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in SERIOUS]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_main_pages_have_no_serious_violations(axe_page, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    owner = OwnerFactory(username="olga.owner", first_name="Olga", last_name="Owner")
    ceo = EmployeeFactory(given_name="Åsa", family_name="Öberg", title="Chief Executive")
    ada = EmployeeFactory(given_name="Ada", family_name="Lovelace", manager=ceo, user=owner)
    EmployeeFactory(given_name="Alan", family_name="Turing", manager=ceo, active=False)
    team = TeamFactory(display_name="Research")
    ProvisioningEventFactory(status=409, operation="refused", detail="userName taken")
    access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)
    employee_import = _checked_import(owner)
    user_list = EntraUserList.objects.create(
        source="users.csv",
        users=[
            {
                "upn": "ada@contoso.com",
                "mail": "",
                "employee_id": "",
                "display_name": "",
                "enabled": True,
                "object_id": "",
            },
            {
                "upn": "new@contoso.com",
                "mail": "",
                "employee_id": "",
                "display_name": "New",
                "enabled": False,
                "object_id": "oid",
            },
        ],
    )

    page.goto("/accounts/sign-in/")
    found = {"sign-in": _violations(page)}
    page.get_by_label("User name").fill("olga.owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)
    pages = {
        "home": "/",
        "dashboard": "/dashboard/",
        "directory": "/employees/",
        "profile": f"/employees/{ada.public_id}/",
        "edit": f"/employees/{ada.public_id}/edit/",
        "deactivate": f"/employees/{ada.public_id}/deactivate/",
        "org chart": "/org-chart/",
        "teams": "/teams/",
        "team": f"/teams/{team.public_id}/",
        "provisioning log": "/provisioning/",
        "access tokens": "/settings/access-tokens/",
        "import": "/employees/import/",
        "import preview": f"/employees/import/{employee_import.public_id}/",
        "import preview errors": f"/employees/import/{employee_import.public_id}/?show=error",
        "entra matching": "/provisioning/matching/",
        "entra matching report": f"/provisioning/matching/{user_list.public_id}/",
        "my profile": "/me/",
        "not found": "/no-such-page/",
        "sign out": "/accounts/sign-out/",
    }
    for name, path in pages.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        found[name] = _violations(page)
    serious = {name: v for name, v in found.items() if v}
    assert not serious, "\n".join(f"{name}: {v}" for name, v in serious.items())
