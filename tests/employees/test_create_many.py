"""employee_create_many: many employees in one write, each checked and recorded."""

import pytest

from audit.actor import Actor
from audit.models import Channel
from audit.signals import change_recorded
from employees.create_many import EmployeeRowInvalid, employee_create_many
from employees.models import Employee, EmployeeChange
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

IMPORT = Actor(channel=Channel.IMPORT)


def row(n, **over):
    values = {
        "user_name": f"p{n}@contoso.com",
        "given_name": "Given",
        "family_name": f"Family{n}",
        "work_email": f"p{n}@contoso.com",
    }
    values.update(over)
    return values


def test_creates_and_records_each_and_announces_them_once(django_assert_max_num_queries):
    boss = EmployeeFactory()
    heard = []

    def listen(sender, records, **kwargs):
        heard.append((sender, [r.employee.user_name for r in records]))

    change_recorded.connect(listen)
    try:
        # Two are other apps' receivers, once each for the batch: checklists read the
        # onboarding templates, time off looks for requests to move.
        with django_assert_max_num_queries(8):
            created = employee_create_many(
                actor=IMPORT,
                rows=[row(n, manager=boss, employee_number=f"E{n}") for n in range(50)],
            )
    finally:
        change_recorded.disconnect(listen)
    assert len(created) == 50 and all(e.pk for e in created)
    assert Employee.objects.filter(manager=boss).count() == 50
    change = EmployeeChange.objects.get(employee=created[0])
    assert change.channel == Channel.IMPORT
    assert change.action == "created"
    assert change.changes["manager"] == [None, boss.user_name]
    assert created[0].recorded_change == change
    assert heard == [(EmployeeChange, [f"p{n}@contoso.com" for n in range(50)])]


@pytest.mark.parametrize(
    ("rows", "index", "field", "message"),
    [
        ([row(1), row(2, user_name="P1@contoso.com")], 1, "user_name", "already exists"),
        ([row(1), row(2, work_email="nope")], 1, "work_email", "valid email"),
        ([row(1, work_phone="12345")], 0, "work_phone", "E.164"),
        ([row(1, employee_number="E1"), row(2, employee_number="E1")], 1, "employee_number", ""),
    ],
)
def test_the_first_invalid_row_is_named_and_nothing_is_written(rows, index, field, message):
    with pytest.raises(EmployeeRowInvalid) as raised:
        employee_create_many(actor=IMPORT, rows=rows)
    assert raised.value.index == index
    assert field in raised.value.error.message_dict
    assert message in " ".join(raised.value.error.message_dict[field])
    assert not Employee.objects.exists()


def test_a_user_name_taken_in_the_database_is_refused():
    EmployeeFactory(user_name="p2@contoso.com")
    with pytest.raises(EmployeeRowInvalid) as raised:
        employee_create_many(actor=IMPORT, rows=[row(1), row(2)])
    assert raised.value.index == 1
    assert Employee.objects.count() == 1
