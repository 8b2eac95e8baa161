"""The time off guide names the labels people see: every bold term of its sections appears on
the pages those sections walk through."""

import datetime as dt

import pytest
import time_machine

from audit.actor import Actor
from audit.models import Channel
from organisation.models import Location
from tests.test_docs_words import _bold_terms, _section, _text
from time_off.accrual import accrue
from time_off.models import Balance, PublicHoliday
from time_off.services import feed_create, request_create

pytestmark = pytest.mark.django_db

SECTIONS = [
    "## Setting up time off",
    "## One person's policies and working days",
    "## Balances and the ledger",
    "## Asking for time off",
    "## Approving",
    "## The calendar",
    "### Your calendar in Outlook",
    "## Reports for payroll",
]


@pytest.mark.parametrize("heading", SECTIONS)
def test_guide_words_are_on_the_time_off_pages(
    heading, client, hr_admin, manager_user, worker, vacation, policy
):
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        accrue(today=dt.date(2026, 12, 2))
        request = request_create(
            employee=worker,
            leave_type=vacation,
            start_date=dt.date(2026, 12, 23),
            end_date=dt.date(2026, 12, 25),
            actor=Actor(channel=Channel.WEB, user=worker.user),
        )
        location = Location.objects.create(name="Berlin", country="DE")
        PublicHoliday.objects.create(
            location=location, date=dt.date(2026, 10, 3), name="German Unity Day", source="package"
        )
        balance = Balance.objects.get(employee=worker)
        pages = []
        client.force_login(hr_admin)
        for path in [
            "/time-off/team/",
            "/time-off/settings/",
            "/time-off/settings/leave-types/new/",
            "/time-off/settings/policies/new/",
            f"/time-off/settings/holidays/{location.pk}/",
            f"/time-off/balances/{balance.public_id}/",
            "/time-off/reports/",
            f"/time-off/people/{worker.public_id}/",
            f"/time-off/people/{worker.public_id}/policies/",
        ]:
            pages.append(client.get(path).content.decode())
        client.force_login(worker.user)
        pages.append(client.get("/time-off/").content.decode())
        feed_create(employee=worker)
        for path in ["/time-off/", "/time-off/new/", "/time-off/calendar/"]:
            pages.append(client.get(path).content.decode())
        pages.append(
            client.post(
                "/time-off/new/",
                {
                    "leave_type": vacation.pk,
                    "start_date": "2026-12-28",
                    "end_date": "2026-12-28",
                    "check": "1",
                },
            ).content.decode()
        )
        pages.append(client.get(f"/time-off/requests/{request.public_id}/").content.decode())
        client.force_login(manager_user)
        pages.append(client.get(f"/time-off/requests/{request.public_id}/").content.decode())
        pages.append(client.get("/time-off/team/").content.decode())
    shown = " ".join(_text(page) for page in pages)
    terms = {" ".join(term.split()) for term in _bold_terms(_section("time-off.md", heading))}
    assert terms
    missing = sorted(term for term in terms if term not in shown)
    assert not missing, f"time-off.md names {missing}, which no page shows"
