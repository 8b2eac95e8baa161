"""Joiners, leavers and movers start their checklists from every channel, once per event."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.actor import Actor
from checklists.models import (
    AssigneeRole,
    Checklist,
    ChecklistChange,
    ChecklistKind,
    ChecklistStatus,
)
from checklists.services import checklist_cancel, checklist_task_complete
from employees.models import Channel, EmploymentType
from employees.services import (
    employee_create,
    employee_deactivate,
    employee_delete,
    employee_update,
)
from organisation.models import Location
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def _create(actor, **fields):
    base = {
        "user_name": "new.joiner@contoso.com",
        "given_name": "New",
        "family_name": "Joiner",
        "work_email": "new.joiner@contoso.com",
    }
    return employee_create(actor=actor, **{**base, **fields})


def test_hr_create_with_a_future_start_date_starts_onboarding_with_due_dates(
    make_template, web_actor
):
    template = make_template()
    manager = EmployeeFactory()
    start = timezone.localdate() + dt.timedelta(days=20)

    employee = _create(web_actor, start_date=start, manager=manager)

    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.kind, checklist.status, checklist.anchor_date, checklist.anchor_known) == (
        ChecklistKind.ONBOARDING,
        ChecklistStatus.RUNNING,
        start,
        True,
    )
    assert (checklist.template_id, checklist.template_version, checklist.task_count) == (
        template.pk,
        template.version,
        3,
    )
    tasks = [
        (t.title, t.assignee_role, t.assignee_employee_id, t.due_date)
        for t in checklist.tasks.order_by("due_date")
    ]
    assert tasks == [
        ("Order a laptop", AssigneeRole.IT, None, start - dt.timedelta(days=10)),
        ("Plan the first week", AssigneeRole.MANAGER, manager.pk, start - dt.timedelta(days=3)),
        ("Sign the contract", AssigneeRole.EMPLOYEE, employee.pk, start),
    ]
    change = ChecklistChange.objects.get(checklist=checklist)
    assert (change.action, change.channel) == ("started", Channel.WEB)


def test_scim_create_without_start_date_counts_from_today_and_moves_when_hr_sets_it(
    make_template, web_actor, scim_token
):
    make_template()
    scim_actor = Actor(channel=Channel.SCIM, token=scim_token.token)
    employee = _create(scim_actor)
    checklist = Checklist.objects.get(employee=employee)
    today = timezone.localdate()
    assert (checklist.anchor_date, checklist.anchor_known, checklist.trigger_channel) == (
        today,
        False,
        Channel.SCIM,
    )
    # No manager: the manager's task goes to HR rather than to nobody.
    assert set(checklist.tasks.values_list("assignee_role", flat=True)) == {
        AssigneeRole.IT,
        AssigneeRole.HR,
        AssigneeRole.EMPLOYEE,
    }

    start = today + dt.timedelta(days=30)
    employee_update(employee=employee, actor=web_actor, data={"start_date": start})

    checklist.refresh_from_db()
    assert (checklist.anchor_date, checklist.anchor_known) == (start, True)
    assert sorted(checklist.tasks.values_list("due_date", flat=True)) == [
        start - dt.timedelta(days=10),
        start - dt.timedelta(days=3),
        start,
    ]
    assert Checklist.objects.filter(employee=employee).count() == 1
    assert list(
        ChecklistChange.objects.filter(checklist=checklist)
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["started", "dates_moved"]


def test_import_of_existing_staff_with_a_past_start_date_starts_nothing(make_template, web_actor):
    make_template()
    _create(web_actor, start_date=timezone.localdate() - dt.timedelta(days=400))
    assert Checklist.objects.count() == 0


def test_deactivation_by_hr_starts_offboarding_once(make_template, web_actor):
    make_template(ChecklistKind.OFFBOARDING, tasks=[("Collect the laptop", AssigneeRole.IT, 0)])
    employee = EmployeeFactory()
    end = timezone.localdate() + dt.timedelta(days=5)

    employee_deactivate(employee=employee, actor=web_actor, end_date=end, end_reason="resigned")
    employee_update(employee=employee, actor=web_actor, data={"end_date": end})  # same again
    employee_delete(employee=employee, actor=web_actor)

    checklist = Checklist.objects.get(employee=employee)
    assert (checklist.kind, checklist.anchor_date, checklist.anchor_known) == (
        ChecklistKind.OFFBOARDING,
        end,
        True,
    )


def test_setting_an_end_date_starts_offboarding_and_a_new_one_moves_it(make_template, web_actor):
    make_template(ChecklistKind.OFFBOARDING, tasks=[("Exit interview", AssigneeRole.HR, -1)])
    employee = EmployeeFactory()
    end = timezone.localdate() + dt.timedelta(days=14)
    employee_update(employee=employee, actor=web_actor, data={"end_date": end})
    later = end + dt.timedelta(days=7)
    employee_update(employee=employee, actor=web_actor, data={"end_date": later})

    checklist = Checklist.objects.get(employee=employee)
    assert checklist.anchor_date == later
    assert checklist.tasks.get().due_date == later - dt.timedelta(days=1)


def test_conditions_choose_the_templates_that_match(make_template, web_actor):
    stockholm = Location.objects.create(name="Stockholm")
    berlin = Location.objects.create(name="Berlin")
    sweden = make_template(name="Sweden", locations=[stockholm])
    contractors = make_template(name="Contractors", employment_types=[EmploymentType.CONTRACTOR])

    first = _create(web_actor, location_record=stockholm, employment_type=EmploymentType.FULL_TIME)
    second = _create(
        web_actor,
        user_name="second@contoso.com",
        work_email="second@contoso.com",
        location_record=berlin,
        employment_type=EmploymentType.CONTRACTOR,
    )

    assert list(Checklist.objects.filter(employee=first).values_list("template", flat=True)) == [
        sweden.pk
    ]
    assert list(Checklist.objects.filter(employee=second).values_list("template", flat=True)) == [
        contractors.pk
    ]


def test_mover_starts_a_role_change_once_a_day_and_only_with_a_template(make_template, web_actor):
    employee = EmployeeFactory()
    employee_update(employee=employee, actor=web_actor, data={"title": "Lead"})
    assert Checklist.objects.count() == 0

    make_template(ChecklistKind.ROLE_CHANGE, tasks=[("Review access", AssigneeRole.IT, 3)])
    new_manager = EmployeeFactory()
    employee_update(employee=employee, actor=web_actor, data={"manager": new_manager})
    employee_update(employee=employee, actor=web_actor, data={"department": "Sales"})
    employee_update(employee=employee, actor=web_actor, data={"work_phone": "+16175551212"})

    checklist = Checklist.objects.get(employee=employee)
    assert checklist.kind == ChecklistKind.ROLE_CHANGE
    assert checklist.tasks.get().due_date == timezone.localdate() + dt.timedelta(days=3)


def test_editing_a_template_does_not_change_a_running_checklist(make_template, web_actor):
    from checklists.services import template_task_save

    template = make_template()
    employee = _create(web_actor)
    version = template.version
    template_task_save(
        template=template,
        actor=web_actor,
        title="Added later",
        assignee_role=AssigneeRole.HR,
        offset_days=0,
        description="",
    )
    template.refresh_from_db()
    checklist = Checklist.objects.get(employee=employee)
    assert template.version == version + 1
    assert checklist.template_version == version
    assert checklist.tasks.count() == 3


def test_a_rehire_after_offboarding_gets_a_new_onboarding_but_not_before(make_template, web_actor):
    make_template()
    make_template(ChecklistKind.OFFBOARDING, tasks=[("Collect the laptop", AssigneeRole.IT, 0)])
    employee = _create(web_actor)
    onboarding = Checklist.objects.get(employee=employee)
    checklist_cancel(checklist=onboarding, reason="Start postponed", actor=web_actor)
    start = timezone.localdate() + dt.timedelta(days=3)
    employee_update(employee=employee, actor=web_actor, data={"start_date": start})
    second = Checklist.objects.get(employee=employee, status="running")
    for task in second.tasks.all():
        checklist_task_complete(task=task, actor=web_actor)

    # They worked for a while and left: the last day is behind them when they are rehired.
    past = timezone.localdate() - dt.timedelta(days=60)
    employee_update(employee=employee, actor=web_actor, data={"start_date": past})
    last_day = timezone.localdate() - dt.timedelta(days=1)
    employee_deactivate(employee=employee, actor=web_actor, end_date=last_day)
    from employees.services import employee_reactivate

    employee_reactivate(employee=employee, actor=web_actor)
    employee_update(
        employee=employee, actor=web_actor, data={"start_date": start + dt.timedelta(days=90)}
    )
    kinds = list(
        Checklist.objects.filter(employee=employee).order_by("id").values_list("kind", "status")
    )
    assert kinds == [
        ("onboarding", "cancelled"),
        ("onboarding", "completed"),
        ("offboarding", "running"),
        ("onboarding", "running"),
    ]
