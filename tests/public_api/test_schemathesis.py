"""Property-based run of schemathesis against the live server, from the served schema.

Every operation gets generated requests, valid (positive) and invalid (negative); no
response may be a server error or stray from the schema (status code, content type,
headers, body).
"""

import datetime as dt
import time

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.actor import Actor
from audit.models import Channel
from tests.factories import EmployeeFactory, TeamFactory
from time_off.models import LeaveType
from time_off.services import request_create

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_never_errs_and_matches_its_schema(live_server, api_token, mode, settings, tmp_path):
    settings.ALEXIS_API_THROTTLE_RATE = "100000/minute"
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    boss = EmployeeFactory(department="Sales")
    staff = EmployeeFactory.create_batch(3, manager=boss, department="Engineering")
    team = TeamFactory(display_name="Engineering", members=[boss, *staff])
    vacation = LeaveType.objects.create(name="Vacation")
    leave = request_create(
        employee=staff[0],
        leave_type=vacation,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 3, 2),
        # A real file, so that downloading it answers with the file (not only with 404s).
        attachment=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=Actor(channel=Channel.WEB),
    )
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    headers = {"Authorization": f"Bearer {api_token.plaintext}"}
    started = time.monotonic()
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            if mode == GenerationMode.POSITIVE and case.path_parameters:
                # Random ids would only find 404s; valid requests go to a real employee
                # or team.
                real = team if case.path.startswith("/api/v1/teams/") else boss
                if case.path.startswith("/api/v1/time-off/requests/"):
                    real = leave
                case.path_parameters["id"] = str(real.public_id)
            response = case.call(base_url=live_server.url, headers=headers)
            case.validate_response(response, checks=CHECKS)

        run()

    assert operations == 21
    # About 6 seconds per operation on a busy machine (60 s for the first 10 operations).
    assert time.monotonic() - started < 6 * operations
