"""The end-date job ends a leaver's Alexis access at the end of their last day, where they
work, once; and tells HR/IT a day later when Entra still shows them active."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from access_tokens.models import Scope
from access_tokens.selectors import token_status
from access_tokens.services import access_token_create
from checklists.models import EndOfAccess
from checklists.tasks import checklist_access_end
from notifications.models import Notification
from organisation.models import Location
from tests.factories import EmployeeFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db

END = dt.date(2026, 12, 10)


def _at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)


def _run(now: dt.datetime):
    with mock.patch("checklists.tasks.timezone.now", return_value=now):
        return checklist_access_end.call()


@pytest.fixture
def leaver(db):
    user = UserFactory(username="lea.leaver@contoso.com")
    tokyo = Location.objects.create(name="Tokyo", time_zone="Asia/Tokyo")
    return EmployeeFactory(
        user=user,
        user_name=user.username,
        end_date=END,
        location_record=tokyo,
        last_synced_at=_at("2026-12-01T09:00:00+00:00"),
    )


def test_access_ends_at_midnight_after_the_end_date_in_the_location_time_zone(
    leaver, django_capture_on_commit_callbacks
):
    # 23:59 in Tokyo on the last day: still at work.
    assert _run(_at("2026-12-10T14:59:00+00:00")) == {"ended": 0, "told": 0}
    leaver.user.refresh_from_db()
    assert leaver.user.is_active

    # 00:00 in Tokyo the next day (15:00 UTC): access ends, once.
    assert _run(_at("2026-12-10T15:00:00+00:00")) == {"ended": 1, "told": 0}
    assert _run(_at("2026-12-10T16:00:00+00:00")) == {"ended": 0, "told": 0}
    leaver.user.refresh_from_db()
    assert not leaver.user.is_active
    assert EndOfAccess.objects.filter(employee=leaver, end_date=END).count() == 1


def test_tokens_of_a_leaver_stop_working_as_for_a_deactivated_creator(leaver):
    leaver.user.groups.add(*OwnerFactory().groups.all())
    created = access_token_create(name="payroll", scopes=[Scope.API_READ], created_by=leaver.user)
    assert token_status(created.token)[0] == "active"
    _run(_at("2026-12-11T00:00:00+00:00"))
    created.token.created_by.refresh_from_db()
    assert token_status(created.token) == ("inactive", "Its creator's account is deactivated.")


def test_hr_and_it_are_told_once_when_entra_still_shows_the_leaver_active_a_day_later(
    leaver, hr_admin, django_capture_on_commit_callbacks
):
    ended_at = _at("2026-12-11T00:00:00+00:00")
    with mock.patch("django.utils.timezone.now", return_value=ended_at):
        _run(ended_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(ended_at + dt.timedelta(hours=23))["told"] == 0
        assert _run(ended_at + dt.timedelta(hours=25))["told"] == 1
        assert _run(ended_at + dt.timedelta(hours=26))["told"] == 0
    notification = Notification.objects.get(recipient=hr_admin)
    assert notification.title == f"{leaver} left but is still active in Entra ID"
    assert "Entra last changed their record on 1 Dec 2026" in notification.body


def test_nobody_is_told_when_entra_deprovisioned_them(leaver, hr_admin):
    ended_at = _at("2026-12-11T00:00:00+00:00")
    with mock.patch("django.utils.timezone.now", return_value=ended_at):
        _run(ended_at)
    leaver.active = False
    leaver.save()
    assert _run(ended_at + dt.timedelta(days=2))["told"] == 0
    assert not Notification.objects.exists()


def test_without_a_location_the_app_time_zone_counts(settings):
    settings.TIME_ZONE = "UTC"
    user = UserFactory()
    EmployeeFactory(user=user, end_date=END)
    assert _run(_at("2026-12-10T23:59:00+00:00"))["ended"] == 0
    assert _run(_at("2026-12-11T00:00:00+00:00"))["ended"] == 1
    assert timezone.now()  # the clock was only moved inside the job


def test_clearing_the_end_date_after_access_ended_gives_it_back(leaver, web_actor):
    from employees.services import employee_update

    _run(_at("2026-12-11T00:00:00+00:00"))
    leaver.user.refresh_from_db()
    assert not leaver.user.is_active
    employee_update(employee=leaver, actor=web_actor, data={"end_date": None})
    leaver.user.refresh_from_db()
    assert leaver.user.is_active
    assert not EndOfAccess.objects.exists()
