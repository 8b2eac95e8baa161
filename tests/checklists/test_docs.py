"""The guide names the labels people see on the checklist pages."""

import pytest

from checklists.models import ChecklistKind
from tests.test_docs_words import _bold_terms, _section, _text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("heading", ["## Templates", "## Doing the work"])
def test_guide_words_are_on_the_checklist_pages(hr_admin_client, make_template, heading):
    template = make_template(ChecklistKind.ONBOARDING)
    base = f"/checklists/templates/{template.public_id}/"
    pages = [
        hr_admin_client.get(url).content.decode()
        for url in (
            "/checklists/",
            "/checklists/my-tasks/",
            "/checklists/templates/",
            "/checklists/templates/new/",
            base,
            f"{base}tasks/new/",
        )
    ]
    shown = " ".join(_text(page) for page in pages)
    terms = _bold_terms(_section("onboarding-offboarding.md", heading))
    ignore = {"Mark done", "Cancel checklist", "Reason", "Checklists"}
    missing = sorted(term for term in terms - ignore if term not in shown)
    assert not missing, f"the guide names {missing}, which no page shows"
