"""Helpers for checklist tests: templates made through the services, as HR makes them."""

import pytest

from audit.actor import Actor
from checklists.models import AssigneeRole, ChecklistKind
from checklists.services import checklist_template_create, template_task_save
from employees.models import Channel


@pytest.fixture
def make_template(hr_admin):
    actor = Actor(channel=Channel.WEB, user=hr_admin)

    def make(kind=ChecklistKind.ONBOARDING, name=None, tasks=None, **conditions):
        template = checklist_template_create(
            actor=actor, name=name or f"{kind} template", kind=kind, **conditions
        )
        for title, role, offset in tasks or [
            ("Order a laptop", AssigneeRole.IT, -10),
            ("Plan the first week", AssigneeRole.MANAGER, -3),
            ("Sign the contract", AssigneeRole.EMPLOYEE, 0),
        ]:
            template_task_save(
                template=template,
                actor=actor,
                title=title,
                assignee_role=role,
                offset_days=offset,
                description="",
            )
        template.refresh_from_db()
        return template

    return make


@pytest.fixture
def receiver(settings):
    """A local HTTP server receiving webhooks (deliveries to this machine allowed)."""
    from tests.webhooks.receiver import start_receiver

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_ALLOW_HTTP = True
    receiver = start_receiver()
    yield receiver
    receiver.stop()
