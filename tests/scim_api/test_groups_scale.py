"""Large teams: queries per Groups request stay constant as teams and changes grow."""

from http import HTTPStatus

import pytest

from employees.models import Employee
from teams.models import TeamMembership
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def employees(count, prefix):
    """Insert `count` employees in bulk (factories build them, one INSERT per batch)."""
    built = [
        EmployeeFactory.build(user_name=f"{prefix}{n:05d}@contoso.com", manager=None)
        for n in range(count)
    ]
    return Employee.objects.bulk_create(built, batch_size=1000)


def ids(people):
    return [{"value": str(e.public_id)} for e in people]


@pytest.mark.parametrize("size", [10, 100])
def test_membership_patches_run_a_constant_number_of_queries(
    scim, size, django_assert_max_num_queries
):
    members = employees(size, "member")
    newcomers = employees(size, "new")
    team = TeamFactory(members=members)

    # The bounds count the token (read, last use), the team (read, locked, saved), the
    # employees named, the memberships they have, one bulk insert or delete, the history
    # entry, the savepoints of the transaction and the provisioning log's INSERT: none of
    # them per member.
    with django_assert_max_num_queries(16):
        added = scim.patch_group(
            team.public_id, {"op": "Add", "path": "members", "value": ids(newcomers)}
        )
    assert added.status_code == HTTPStatus.NO_CONTENT
    assert TeamMembership.objects.filter(team=team).count() == 2 * size

    with django_assert_max_num_queries(16):
        removed = scim.patch_group(
            team.public_id, {"op": "Remove", "path": "members", "value": ids(members)}
        )
    assert removed.status_code == HTTPStatus.NO_CONTENT
    assert TeamMembership.objects.filter(team=team).count() == size

    with django_assert_max_num_queries(18):
        mixed = scim.patch_group(
            team.public_id,
            {"op": "add", "path": "members", "value": ids(members)},
            {"op": "remove", "path": "members", "value": ids(newcomers)},
            {"op": "replace", "value": {"displayName": "Renamed"}},
        )
    assert mixed.status_code == HTTPStatus.NO_CONTENT
    assert set(TeamMembership.objects.filter(team=team).values_list("employee_id", flat=True)) == {
        e.pk for e in members
    }

    with django_assert_max_num_queries(18):
        replaced = scim.patch_group(
            team.public_id, {"op": "replace", "path": "members", "value": ids(newcomers)}
        )
    assert replaced.status_code == HTTPStatus.NO_CONTENT
    assert TeamMembership.objects.filter(team=team).count() == size


def test_a_team_of_ten_thousand(scim, django_assert_max_num_queries):
    members = employees(10_000, "member")
    newcomers = employees(100, "new")
    team = TeamFactory(display_name="Everyone", members=members)

    with django_assert_max_num_queries(4):
        lean = scim.get(f"Groups/{team.public_id}?excludedAttributes=members")
    assert "members" not in lean.json()

    with django_assert_max_num_queries(4):
        probe = scim.get('Groups?excludedAttributes=members&filter=displayName eq "everyone"')
    assert probe.json()["totalResults"] == 1

    with django_assert_max_num_queries(5):
        full = scim.get(f"Groups/{team.public_id}")
    assert len(full.json()["members"]) == 10_000

    with django_assert_max_num_queries(16):
        added = scim.patch_group(
            team.public_id, {"op": "add", "path": "members", "value": ids(newcomers)}
        )
    assert added.status_code == HTTPStatus.NO_CONTENT

    with django_assert_max_num_queries(16):
        removed = scim.patch_group(
            team.public_id, {"op": "remove", "path": "members", "value": ids(members[:100])}
        )
    assert removed.status_code == HTTPStatus.NO_CONTENT
    assert TeamMembership.objects.filter(team=team).count() == 10_000

    with django_assert_max_num_queries(16):
        one = scim.patch_group(
            team.public_id,
            {"op": "remove", "path": f'members[value eq "{members[500].public_id}"]'},
        )
    assert one.status_code == HTTPStatus.NO_CONTENT
    assert TeamMembership.objects.filter(team=team).count() == 9_999
