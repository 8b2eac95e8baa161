import pytest
from django.utils import timezone

from teams.selectors import employee_team_summaries, team_member_summaries
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_member_summaries_of_many_teams_in_one_query(django_assert_num_queries):
    ada = EmployeeFactory(given_name="Ada", family_name="Byron", display_name="")
    bob = EmployeeFactory(given_name="Bob", family_name="Adams", display_name="Bobby")
    gone = EmployeeFactory(deleted_at=timezone.now())
    first = TeamFactory(members=[ada, bob, gone])
    second = TeamFactory(members=[ada])
    empty = TeamFactory()

    with django_assert_num_queries(1):
        summaries = team_member_summaries(team_ids=[first.pk, second.pk, empty.pk])

    assert summaries == {
        first.pk: [
            {"public_id": bob.public_id, "name": "Bobby"},
            {"public_id": ada.public_id, "name": "Ada Byron"},
        ],
        second.pk: [{"public_id": ada.public_id, "name": "Ada Byron"}],
        empty.pk: [],
    }


def test_team_summaries_of_many_employees_in_one_query(django_assert_num_queries):
    ada, bob = EmployeeFactory.create_batch(2)
    zeta = TeamFactory(display_name="Zeta", members=[ada, bob])
    alpha = TeamFactory(display_name="Alpha", members=[ada])
    TeamFactory(display_name="Deleted", members=[ada], deleted_at=timezone.now())

    with django_assert_num_queries(1):
        summaries = employee_team_summaries(employee_ids=[ada.pk, bob.pk])

    assert summaries == {
        ada.pk: [
            {"public_id": alpha.public_id, "name": "Alpha"},
            {"public_id": zeta.public_id, "name": "Zeta"},
        ],
        bob.pk: [{"public_id": zeta.public_id, "name": "Zeta"}],
    }
