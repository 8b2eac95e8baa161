"""Gunicorn's access log, through Alexis's logger class, carries no credentials."""

import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config

from alexis.gunicorn_logging import RedactingLogger

TOKEN = "alx_" + "A1b2C3d4E5" * 6


def access_line(access_log_format: str) -> str:
    config = Config()
    config.set("access_log_format", access_log_format)
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/scim/v2/Users?access_token={TOKEN}&count=5",
        "PATH_INFO": "/scim/v2/Users",
        "QUERY_STRING": f"access_token={TOKEN}&count=5",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_AUTHORIZATION": f"Bearer {TOKEN}",
        "HTTP_REFERER": f"https://hr.example.com/?token={TOKEN}",
    }
    request = SimpleNamespace(
        headers=[("AUTHORIZATION", f"Bearer {TOKEN}"), ("X-API-KEY", "hunter2")]
    )
    response = SimpleNamespace(status="401 Unauthorized", sent=10, headers=[])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=3))
    return access_log_format % atoms


def test_the_request_line_query_and_referer_are_redacted():
    line = access_line('"%(r)s" %(s)s "%(q)s" "%(f)s"')

    assert TOKEN not in line
    assert "access_token=%5Bredacted%5D&count=5" in line
    assert "?token=%5Bredacted%5D" in line


def test_headers_and_environ_values_are_redacted():
    line = access_line("%({authorization}i)s %({x-api-key}i)s %({http_authorization}e)s")

    assert line == "[redacted] [redacted] [redacted]"
