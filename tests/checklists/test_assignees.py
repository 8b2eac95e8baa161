"""Who does a task: a named person, a team, IT; conditions on department and legal entity."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from checklists.models import IT_GROUP, AssigneeRole, Checklist
from checklists.selectors import my_tasks
from checklists.services import template_task_save
from employees.services import employee_create
from organisation.models import Department, LegalEntity
from tests.factories import EmployeeFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _joiner(actor, **fields):
    return employee_create(
        actor=actor,
        user_name="new.joiner@contoso.com",
        given_name="New",
        family_name="Joiner",
        work_email="new.joiner@contoso.com",
        start_date=timezone.localdate() + dt.timedelta(days=7),
        **fields,
    )


def test_named_person_team_and_it_tasks_reach_their_people(make_template, web_actor):
    desk_user = UserFactory(username="desk@contoso.com")
    desk = EmployeeFactory(user=desk_user, user_name=desk_user.username)
    member_user = UserFactory(username="buddy@contoso.com")
    member = EmployeeFactory(user=member_user, user_name=member_user.username)
    team = TeamFactory(display_name="Buddies", members=[member])
    it_user = UserFactory(username="ivan.it")
    it_user.groups.add(Group.objects.get_or_create(name=IT_GROUP)[0])
    template = make_template(tasks=[("Order a laptop", AssigneeRole.IT, -7)])
    template_task_save(
        template=template,
        actor=web_actor,
        title="Badge",
        assignee_role=AssigneeRole.PERSON,
        assignee_employee=desk,
        offset_days=-1,
        description="",
    )
    template_task_save(
        template=template,
        actor=web_actor,
        title="Buddy lunch",
        assignee_role=AssigneeRole.TEAM,
        assignee_team=team,
        offset_days=2,
        description="",
    )

    _joiner(web_actor)

    assert [t.title for t in my_tasks(user=desk_user)[0]] == ["Badge"]
    assert [t.title for t in my_tasks(user=member_user)[0]] == ["Buddy lunch"]
    assert [t.title for t in my_tasks(user=it_user)[0]] == ["Order a laptop"]
    assert my_tasks(user=UserFactory())[0] == []


def test_a_person_task_without_a_person_is_refused(make_template, web_actor):
    from django.core.exceptions import ValidationError

    template = make_template(tasks=[])
    with pytest.raises(ValidationError) as raised:
        template_task_save(
            template=template,
            actor=web_actor,
            title="Badge",
            assignee_role=AssigneeRole.PERSON,
            offset_days=0,
            description="",
        )
    assert raised.value.message_dict == {
        "assignee_employee": ["Choose the person who does this task."]
    }


def test_department_and_legal_entity_conditions(make_template, web_actor):
    engineering = Department.objects.create(name="Engineering")
    contoso_se = LegalEntity.objects.create(name="Contoso AB")
    make_template(departments=[engineering], legal_entities=[contoso_se])

    _joiner(web_actor, department_record=engineering)
    assert not Checklist.objects.exists()  # the legal entity does not match

    second = employee_create(
        actor=web_actor,
        user_name="second@contoso.com",
        given_name="Second",
        family_name="Joiner",
        work_email="second@contoso.com",
        department_record=engineering,
        legal_entity=contoso_se,
    )
    assert Checklist.objects.get().employee == second
