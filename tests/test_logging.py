"""The server log: a refused request is one line, printed once."""

import io
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_once_without_a_traceback(employee_client):
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = employee_client.get("/employees/")
    finally:
        console.setStream(previous)

    assert response.status_code == 403
    log = stream.getvalue()
    assert log.count("Forbidden (Permission denied): /employees/") == 1
    assert "Traceback" not in log
    assert logging.getLogger("django").handlers == []
