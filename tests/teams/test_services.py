import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from employees.models import ChangeAction, Channel, Employee
from employees.selectors import employee_team_options, employee_teams
from employees.services import Actor, VersionConflict
from teams.models import Team, TeamChange, TeamMembership
from teams.selectors import team_members
from teams.services import team_create, team_delete, team_update
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

SCIM = Actor(channel=Channel.SCIM)


def _ids(employees):
    return [str(e.public_id) for e in employees]


def test_create_with_members_records_history():
    people = EmployeeFactory.create_batch(3)
    team = team_create(
        actor=SCIM, display_name="Engineering", external_id="g-1", member_ids=_ids(people)
    )
    assert set(team_members(team=team)) == set(people)
    change = TeamChange.objects.get(team=team)
    assert change.action == ChangeAction.CREATED
    assert change.channel == Channel.SCIM
    assert change.changes["members_added"]["count"] == 3
    assert team.last_synced_at is not None


def test_display_name_is_unique_regardless_of_case():
    team_create(actor=SCIM, display_name="Sales")
    with pytest.raises(ValidationError) as excinfo:
        team_create(actor=SCIM, display_name="SALES")
    assert excinfo.value.message_dict == {"display_name": ["A team with this name already exists."]}


def test_unknown_member_id_refuses_the_whole_change():
    person = EmployeeFactory()
    team = team_create(actor=SCIM, display_name="Ops")
    with pytest.raises(ValidationError) as excinfo:
        team_update(
            team=team,
            actor=SCIM,
            data={"display_name": "Operations"},
            add_member_ids=[str(person.public_id), "not-an-employee"],
        )
    assert excinfo.value.message_dict == {"members": ["No employee has the id not-an-employee."]}
    team.refresh_from_db()
    assert team.display_name == "Ops"
    assert not TeamMembership.objects.filter(team=team).exists()


def test_add_and_remove_only_touch_the_given_members():
    people = EmployeeFactory.create_batch(4)
    team = team_create(actor=SCIM, display_name="Design", member_ids=_ids(people[:2]))
    team_update(
        team=team, actor=SCIM, add_member_ids=_ids(people[2:]), remove_member_ids=_ids(people[:1])
    )
    assert set(team_members(team=team)) == set(people[1:])
    change = TeamChange.objects.filter(team=team).first()
    assert change.changes["members_added"]["count"] == 2
    assert change.changes["members_removed"] == {"count": 1, "user_names": [people[0].user_name]}


def test_set_members_replaces_the_membership():
    people = EmployeeFactory.create_batch(4)
    team = team_create(actor=SCIM, display_name="Data", member_ids=_ids(people[:2]))
    team_update(team=team, actor=SCIM, set_member_ids=_ids(people[2:]))
    assert set(team_members(team=team)) == set(people[2:])


@pytest.mark.parametrize("size", [10, 300])
def test_membership_changes_run_a_constant_number_of_queries(size, django_assert_max_num_queries):
    Employee.objects.bulk_create(
        Employee(
            user_name=f"m{i}@contoso.com",
            given_name="M",
            family_name=str(i),
            work_email=f"m{i}@contoso.com",
        )
        for i in range(size + 100)
    )
    people = list(Employee.objects.all())
    team = team_create(actor=SCIM, display_name="Big", member_ids=_ids(people[:size]))
    with django_assert_max_num_queries(12):
        team_update(team=team, actor=SCIM, add_member_ids=_ids(people[size:]))
    with django_assert_max_num_queries(12):
        team_update(team=team, actor=SCIM, remove_member_ids=_ids(people[size:]))
    assert TeamMembership.objects.filter(team=team).count() == size


def test_stale_version_is_refused():
    team = team_create(actor=SCIM, display_name="QA")
    team_update(team=team, actor=SCIM, data={"display_name": "Quality"})
    with pytest.raises(VersionConflict):
        team_update(team=team, actor=SCIM, data={"display_name": "X"}, expected_version=1)


def test_delete_is_soft_and_frees_the_name():
    person = EmployeeFactory()
    team = team_create(actor=SCIM, display_name="Temp", member_ids=_ids([person]))
    team_delete(team=team, actor=SCIM)
    team.refresh_from_db()
    assert team.deleted_at is not None
    assert list(employee_teams(employee=person)) == []
    assert team_create(actor=SCIM, display_name="temp").pk != team.pk
    assert Team.objects.count() == 2


def test_a_deleted_employee_can_be_removed_but_not_added():
    person = EmployeeFactory()
    team = team_create(actor=SCIM, display_name="Support", member_ids=_ids([person]))
    Employee.objects.filter(pk=person.pk).update(deleted_at=timezone.now())

    with pytest.raises(ValidationError):
        team_update(team=team, actor=SCIM, add_member_ids=_ids([person]))
    team = team_update(team=team, actor=SCIM, remove_member_ids=_ids([person]))

    assert not TeamMembership.objects.filter(team=team).exists()
    assert team.recorded_changes == {
        "members_removed": {"count": 1, "user_names": [person.user_name]}
    }


def test_each_write_reports_the_changes_it_recorded():
    created = team_create(actor=SCIM, display_name="Legal", external_id="x")
    assert created.recorded_changes == {"display_name": [None, "Legal"], "external_id": [None, "x"]}
    unchanged = team_update(team=created, actor=SCIM, data={"display_name": "Legal"})
    assert (unchanged.recorded_changes, unchanged.version) == ({}, 1)
    renamed = team_update(team=created, actor=SCIM, data={"display_name": "Law"})
    assert renamed.recorded_changes == {"display_name": ["Legal", "Law"]}
    assert renamed.recorded_changes == TeamChange.objects.filter(team=created).first().changes
    deleted = team_delete(team=renamed, actor=SCIM)
    assert deleted.recorded_changes["members_removed"] == {"count": 0}


def test_a_new_or_renamed_team_appears_in_the_filter_choices_at_once(
    django_capture_on_commit_callbacks,
):

    assert employee_team_options() == []
    with django_capture_on_commit_callbacks(execute=True):
        team = team_create(actor=SCIM, display_name="Platform")
    assert [name for _, name in employee_team_options()] == ["Platform"]
    with django_capture_on_commit_callbacks(execute=True):
        team_update(team=team, actor=SCIM, data={"display_name": "Platform team"})
    assert [name for _, name in employee_team_options()] == ["Platform team"]
    with django_capture_on_commit_callbacks(execute=True):
        team_delete(team=team, actor=SCIM)
    assert employee_team_options() == []
