import pytest
from django_tasks_db.management.commands.db_worker import Worker


@pytest.fixture
def database_tasks(settings):
    """Use the database task backend (the production default) instead of the immediate one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def run_queued_tasks(database_tasks, monkeypatch):
    """Run every task that is due, in this process, as a worker would; return how many."""
    # The worker closes its connection between tasks; here that connection holds the test's
    # transaction (Django's test client disconnects close_old_connections the same way).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
