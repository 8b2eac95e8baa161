"""Public API: list checklists and tasks; an IT system completes a task with api:write."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from checklists.models import AssigneeRole, ChecklistStatus, ChecklistTaskChange
from employees.services import employee_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(make_template, web_actor):
    make_template(tasks=[("Ship the laptop", AssigneeRole.IT, -5)])
    employee = employee_create(
        actor=web_actor,
        user_name="new.joiner@contoso.com",
        given_name="New",
        family_name="Joiner",
        work_email="new.joiner@contoso.com",
        start_date=timezone.localdate() + dt.timedelta(days=10),
    )
    return employee.checklists.get()


def _client(owner, scopes):
    name = "IT desk " + " ".join(scopes)
    created = access_token_create(name=name, scopes=scopes, created_by=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.plaintext}")
    return client


def test_list_checklists_and_tasks(checklist, owner):
    client = _client(owner, [Scope.API_READ])
    response = client.get("/api/v1/checklists/", {"status": "running"})
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 50, 0)
    row = body["results"][0]
    assert (row["id"], row["kind"], row["status"], row["task_count"], row["done_count"]) == (
        str(checklist.public_id),
        "onboarding",
        "running",
        1,
        0,
    )
    assert row["employee_user_name"] == "new.joiner@contoso.com"
    tasks = client.get("/api/v1/checklist-tasks/", {"checklist": str(checklist.public_id)}).json()
    assert [(t["title"], t["assignee_role"], t["done"]) for t in tasks["results"]] == [
        ("Ship the laptop", "it", False)
    ]


def test_bad_filters_answer_400_with_the_parameter(owner):
    client = _client(owner, [Scope.API_READ])
    response = client.get("/api/v1/checklists/", {"status": "nope", "limit": "x"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "status" in response.json()["errors"] or "limit" in response.json()["errors"]


def test_completing_a_task_needs_api_write_and_completes_the_checklist(checklist, owner):
    task = checklist.tasks.get()
    url = f"/api/v1/checklist-tasks/{task.public_id}/complete/"
    read_only = _client(owner, [Scope.API_READ])
    assert read_only.post(url).status_code == HTTPStatus.FORBIDDEN

    writer = _client(owner, [Scope.API_WRITE])
    response = writer.post(url)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["done"] is True
    assert writer.post(url).status_code == HTTPStatus.OK  # again: no change
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.COMPLETED
    change = ChecklistTaskChange.objects.get(task=task)
    assert (change.channel, change.action) == ("api", "completed")


def test_unknown_task_is_404_and_no_token_is_401(owner):
    import uuid

    url = f"/api/v1/checklist-tasks/{uuid.uuid4()}/complete/"
    assert APIClient().post(url).status_code == HTTPStatus.UNAUTHORIZED
    assert _client(owner, [Scope.API_WRITE]).post(url).status_code == HTTPStatus.NOT_FOUND


def test_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/checklists/",
        "/api/v1/checklists/{id}/",
        "/api/v1/checklist-tasks/",
        "/api/v1/checklist-tasks/{id}/complete/",
    ):
        assert path in schema["paths"]
