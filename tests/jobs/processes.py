"""Start real worker processes against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT = Path(settings.BASE_DIR)


def test_database_url() -> str:
    """Return a DATABASE_URL for the database this test is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `manage.py run_worker` process whose output goes to a file."""

    def __init__(self, log: Path, *args: str, **env: str):
        self.log = log
        environment = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "ALEXIS_TASK_BACKEND": "database",
            "DJANGO_DEBUG": "true",
            **env,
        }
        command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "--interval", "0.1", *args],
                cwd=PROJECT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(
    condition: Callable[[], bool], *, workers: list[Worker], timeout: float = 60, what: str
) -> None:
    """Wait until `condition()` holds; fail with the workers' output if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline or any(w.process.poll() is not None for w in workers):
            logs = "\n".join(worker.output() for worker in workers)
            raise AssertionError(f"Gave up waiting for {what}. Worker output:\n{logs}")
        time.sleep(0.1)
