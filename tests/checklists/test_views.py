"""The checklist pages: permissions, forms with errors beside fields, constant queries."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from checklists.models import AssigneeRole, ChecklistKind, ChecklistTemplate, TemplateTask
from employees.services import employee_create
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    user = UserFactory(username="mia.manager@contoso.com")
    EmployeeFactory(user=user, user_name=user.username, given_name="Mia", family_name="Manager")
    client.force_login(user)
    client.user = user
    return client


def _joiner(web_actor, manager, n=0):
    return employee_create(
        actor=web_actor,
        user_name=f"joiner{n}@contoso.com",
        given_name="Joiner",
        family_name=f"Number{n}",
        work_email=f"joiner{n}@contoso.com",
        manager=manager,
        start_date=timezone.localdate() + dt.timedelta(days=2),
    )


def test_hr_builds_a_template_with_a_task(hr_admin_client):
    response = hr_admin_client.post(
        "/checklists/templates/new/", {"name": "Engineering onboarding", "kind": "onboarding"}
    )
    template = ChecklistTemplate.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/checklists/templates/{template.public_id}/"

    url = f"/checklists/templates/{template.public_id}/tasks/new/"
    bad = hr_admin_client.post(
        url, {"title": "Pair", "assignee_role": "person", "days": "3", "when": "after"}
    )
    assert bad.status_code == HTTPStatus.OK
    assert "Give the user name of the person who does this task." in bad.text
    assert not TemplateTask.objects.exists()

    ok = hr_admin_client.post(
        url,
        {
            "title": "Order a laptop",
            "description": "Ask **IT** <script>alert(1)</script>",
            "assignee_role": "it",
            "days": "10",
            "when": "before",
        },
    )
    assert ok.status_code == HTTPStatus.FOUND
    task = TemplateTask.objects.get()
    assert (task.offset_days, task.assignee_role) == (-10, AssigneeRole.IT)
    page = hr_admin_client.get(f"/checklists/templates/{template.public_id}/")
    assert "10 days before the start date" in page.text
    assert "<strong>IT</strong>" in page.text
    assert "<script>alert(1)</script>" not in page.text
    template.refresh_from_db()
    assert template.version == 2


def test_employees_cannot_manage_templates_or_see_the_overview(employee_client):
    for url in ("/checklists/", "/checklists/templates/", "/checklists/templates/new/"):
        assert employee_client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_manager_sees_and_completes_their_tasks_and_the_checklist_completes(
    make_template, web_actor, manager_client
):
    make_template(tasks=[("Plan the first week", AssigneeRole.MANAGER, -1)])
    joiner = _joiner(web_actor, manager_client.user.employee)
    page = manager_client.get("/checklists/my-tasks/")
    assert "Plan the first week" in page.text
    task = joiner.checklists.get().tasks.get()

    response = manager_client.post(f"/checklists/tasks/{task.public_id}/complete/")
    assert response.status_code == HTTPStatus.FOUND
    checklist = joiner.checklists.get()
    assert checklist.status == "completed"
    detail = manager_client.get(f"/checklists/{checklist.public_id}/")
    assert detail.status_code == HTTPStatus.OK
    assert "Complete" in detail.text
    assert "1 of 1 done" in detail.text
    assert "No open tasks." in manager_client.get("/checklists/my-tasks/").text


def test_a_stranger_neither_sees_nor_completes_a_checklist(make_template, web_actor, client):
    make_template(tasks=[("Plan the first week", AssigneeRole.MANAGER, -1)])
    joiner = _joiner(web_actor, EmployeeFactory())
    checklist = joiner.checklists.get()
    stranger = UserFactory()
    EmployeeFactory(user=stranger)
    client.force_login(stranger)
    assert client.get(f"/checklists/{checklist.public_id}/").status_code == HTTPStatus.NOT_FOUND
    task = checklist.tasks.get()
    complete = client.post(f"/checklists/tasks/{task.public_id}/complete/")
    assert complete.status_code == HTTPStatus.FORBIDDEN
    assert client.get(f"/checklists/tasks/{task.public_id}/complete/").status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )


def test_hr_cancels_with_a_reason(make_template, web_actor, hr_admin_client):
    make_template()
    checklist = _joiner(web_actor, None).checklists.get()
    url = f"/checklists/{checklist.public_id}/cancel/"
    assert "Cancel “onboarding template”" in hr_admin_client.get(url).text
    empty = hr_admin_client.post(url, {"reason": ""})
    assert empty.status_code == HTTPStatus.OK
    assert "This field is required." in empty.text
    assert hr_admin_client.post(url, {"reason": "Offer withdrawn"}).status_code == HTTPStatus.FOUND
    checklist.refresh_from_db()
    assert (checklist.status, checklist.cancel_reason) == ("cancelled", "Offer withdrawn")


def test_overview_highlights_overdue_checklists_in_constant_queries(
    make_template, web_actor, hr_admin_client, django_assert_max_num_queries
):
    make_template(tasks=[("Late already", AssigneeRole.HR, -30), ("Later", AssigneeRole.HR, 5)])
    for n in range(3):
        _joiner(web_actor, None, n)
    hr_admin_client.get("/checklists/")
    with django_assert_max_num_queries(12):
        page = hr_admin_client.get("/checklists/")
    assert page.text.count("1 overdue") == 3
    for n in range(3, 8):
        _joiner(web_actor, None, n)
    with django_assert_max_num_queries(12):
        page = hr_admin_client.get("/checklists/?kind=onboarding&overdue=on")
    assert page.text.count("1 overdue") == 8


def test_my_tasks_in_constant_queries(
    make_template, web_actor, manager_client, django_assert_max_num_queries
):
    make_template(tasks=[("One", AssigneeRole.MANAGER, -1), ("Two", AssigneeRole.MANAGER, 1)])
    for n in range(2):
        _joiner(web_actor, manager_client.user.employee, n)
    manager_client.get("/checklists/my-tasks/")
    with django_assert_max_num_queries(12):
        first = manager_client.get("/checklists/my-tasks/")
    for n in range(2, 6):
        _joiner(web_actor, manager_client.user.employee, n)
    with django_assert_max_num_queries(12):
        second = manager_client.get("/checklists/my-tasks/")
    assert first.text.count("Mark done</button>") == 4
    assert second.text.count("Mark done</button>") == 12


def test_employee_checklists_page(make_template, web_actor, hr_admin_client):
    make_template(ChecklistKind.ONBOARDING)
    joiner = _joiner(web_actor, None)
    page = hr_admin_client.get(f"/checklists/employee/{joiner.public_id}/")
    assert page.status_code == HTTPStatus.OK
    assert "0 of 3 done" in page.text
