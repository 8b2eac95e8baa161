"""One date and time format, relative times, and the user's time zone."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.factories import EmployeeFactory
from ui import formats
from ui.middleware import TIME_ZONE_COOKIE

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(seconds=10), "just now"),
        (dt.timedelta(minutes=1), "1 minute ago"),
        (dt.timedelta(minutes=5), "5 minutes ago"),
        (dt.timedelta(hours=3), "3 hours ago"),
        (dt.timedelta(hours=25), "yesterday at 13:30"),
        (dt.timedelta(days=9), "23 Nov 2026, 14:30"),
        (-dt.timedelta(minutes=10), "in 10 minutes"),
    ],
)
def test_relative_reads_like_a_person_would_say_it(delta, text):
    with timezone.override(dt.UTC):
        assert formats.relative(NOW - delta, now=NOW) == text


def test_filters_render_time_elements_in_one_format():
    template = Template("{% load ui %}{{ d|day }}|{{ t|when }}|{{ none|when }}")
    with timezone.override(dt.UTC):
        out = template.render(Context({"d": dt.date(2026, 12, 2), "t": NOW, "none": None}))
    assert out == (
        '<time datetime="2026-12-02">2 Dec 2026</time>|'
        '<time datetime="2026-12-02T14:30:00+00:00" title="2 Dec 2026, 14:30 UTC">'
        "2 Dec 2026, 14:30</time>|"
    )


def test_ago_keeps_the_exact_moment_in_the_tooltip():
    out = Template("{% load ui %}{{ t|ago }}").render(
        Context({"t": timezone.now() - dt.timedelta(minutes=5)})
    )
    assert ">5 minutes ago</time>" in out
    assert 'title="' in out


def test_profile_shows_times_in_the_browsers_time_zone(hr_admin_client):
    employee = EmployeeFactory()
    employee.__class__.objects.filter(pk=employee.pk).update(
        created_at=dt.datetime(2026, 6, 1, 22, 15, tzinfo=dt.UTC)
    )
    url = f"/employees/{employee.public_id}/"
    assert "1 Jun 2026, 22:15" in hr_admin_client.get(url).content.decode()

    hr_admin_client.cookies[TIME_ZONE_COOKIE] = "Europe/Stockholm"
    response = hr_admin_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "2 Jun 2026, 00:15" in response.content.decode()


def test_an_unknown_time_zone_cookie_is_ignored(hr_admin_client):
    employee = EmployeeFactory()
    hr_admin_client.cookies[TIME_ZONE_COOKIE] = "Mars/Olympus_Mons"
    response = hr_admin_client.get(f"/employees/{employee.public_id}/")
    assert response.status_code == HTTPStatus.OK


def test_the_admin_uses_the_same_format(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw")
    employee = EmployeeFactory()
    employee.__class__.objects.filter(pk=employee.pk).update(
        created_at=dt.datetime(2026, 6, 1, 22, 15, tzinfo=dt.UTC)
    )
    client.force_login(staff)
    page = client.get(f"/admin/employees/employee/{employee.pk}/change/").content.decode()
    assert "1 Jun 2026, 22:15" in page
