import pytest

from tests.factories import OwnerFactory
from tests.jobs.conftest import database_tasks, run_queued_tasks  # noqa: F401 (fixtures)


@pytest.fixture
def second_owner(db):
    return OwnerFactory(username="oscar.owner")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Commit what the block did, running the tasks it enqueued (immediate backend)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
