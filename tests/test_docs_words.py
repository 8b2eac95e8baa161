"""The guides name the buttons and fields people see: every bold term of the steps that
happen in Alexis must appear on the pages those steps walk through."""

import re
from html import unescape
from pathlib import Path

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[1] / "docs"
# Emphasis in these sections that is not a label on the page.
NOT_LABELS = {"once"}


def _section(guide: str, heading: str) -> str:
    text = (DOCS / guide).read_text()
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else None]


def _bold_terms(markdown: str) -> set[str]:
    terms = set()
    for term in re.findall(r"\*\*(.+?)\*\*", markdown, flags=re.S):
        # "Settings > Access tokens" is a path through the menu: each step is a label.
        terms.update(" ".join(part.split()) for part in term.split(">"))
    return {term for term in terms if term.lower() not in NOT_LABELS}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(
    ("guide", "heading"),
    [
        ("entra-provisioning.md", "## 1. Create a provisioning token in Alexis"),
        ("access-tokens.md", "## Creating a token"),
        ("access-tokens.md", "## Revoking a token"),
    ],
)
def test_guide_words_are_on_the_access_token_pages(owner_client, owner, guide, heading):
    token = access_token_create(name="Existing", scopes=[Scope.SCIM], created_by=owner).token
    pages = [
        owner_client.get("/settings/access-tokens/").content.decode(),
        owner_client.get("/settings/access-tokens/new/").content.decode(),
        owner_client.post(
            "/settings/access-tokens/new/",
            {"name": "New one", "scopes": [Scope.SCIM], "expires_in_days": "30"},
            follow=True,
        ).content.decode(),
        owner_client.get(f"/settings/access-tokens/{token.pk}/revoke/").content.decode(),
    ]
    shown = " ".join(_text(page) for page in pages)
    terms = _bold_terms(_section(guide, heading))
    assert terms, "the section has no bold labels to check"
    missing = sorted(term for term in terms if term not in shown)
    assert not missing, f"{guide} names {missing}, which no page shows"


def _missing(guide: str, heading: str, pages: list[str]) -> list[str]:
    shown = " ".join(_text(page) for page in pages)
    terms = _bold_terms(_section(guide, heading))
    assert terms, "the section has no bold labels to check"
    return sorted(term for term in terms if term not in shown)


def test_org_chart_guide_words_are_on_the_pages(hr_admin_client, web_actor):
    from organisation.kinds import DEPARTMENT
    from organisation.services import org_record_create
    from tests.employees.conftest import bulk_employees
    from tests.factories import EmployeeFactory

    ceo = EmployeeFactory(given_name="Åsa", family_name="Öberg")
    vp = EmployeeFactory(given_name="José", family_name="Núñez", manager=ceo)
    bulk_employees(51, manager=vp)
    org_record_create(kind=DEPARTMENT, actor=web_actor, name="Operations", head=ceo)
    pages = [
        hr_admin_client.get(url).content.decode()
        for url in [
            "/org-chart/",
            f"/org-chart/?root={vp.public_id}",
            f"/org-chart/{vp.public_id}/children/",
            f"/employees/{vp.public_id}/",
            "/organisation/departments/chart/",
        ]
    ]
    assert not _missing("hr-web-app.md", "## Org chart", pages)


def test_self_service_guide_words_are_on_the_pages(client, employee_user, owner):
    from self_service.models import ChangeRequest, ChangeRequestStatus

    employee = employee_user.employee
    ChangeRequest.objects.create(employee=employee, field="home_address", new_value="Home")
    ChangeRequest.objects.create(
        employee=employee, field="personal_email", status=ChangeRequestStatus.REJECTED
    )
    client.force_login(employee_user)
    mine = [client.get(url).content.decode() for url in ["/me/", "/me/personal-details/"]]
    client.force_login(owner)
    hr = [
        client.get(url).content.decode()
        for url in ["/approvals/", "/settings/self-service/", f"/employees/{employee.public_id}/"]
    ]
    assert not _missing("hr-web-app.md", "### My personal details", mine + hr[2:])
    assert not _missing("hr-web-app.md", "## Approvals (HR admins)", hr)
