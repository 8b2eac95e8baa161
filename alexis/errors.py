"""Answers for requests that fail before or outside a view's own error handling.

Each part of Alexis answers errors in its own format: SCIM clients get SCIM JSON errors
(RFC 7644 §3.12), API clients the API's JSON error shape, people a page. The request path
decides which.
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.defaults import server_error as django_server_error

from alexis.outage import RETRY_AFTER_SECONDS, UNAVAILABLE_DETAIL, database_unavailable
from alexis.request_input import InputError

logger = logging.getLogger(__name__)

SCIM_PREFIX = "/scim/"
API_PREFIX = "/api/"


def api_error(status: int, code: str, detail: str, errors: dict | None = None) -> JsonResponse:
    """Render the public API's error shape (see public_api.errors.ErrorSerializer)."""
    body = {"status": status, "code": code, "detail": detail, "errors": errors or {}}
    return JsonResponse(body, status=status)


def bad_input_response(request: HttpRequest, exc: InputError) -> HttpResponse:
    """Answer 400 for input that names a parameter which cannot be stored or searched."""
    if request.path.startswith(API_PREFIX):
        return api_error(
            400, "invalid", f"The request is invalid: {exc.name}.", {exc.name: [f"{exc}"]}
        )
    return render(request, "400.html", {"message": str(exc)}, status=400)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Answer 503 with Retry-After in the format of the part of Alexis that was asked."""
    if request.path.startswith(SCIM_PREFIX):
        from scim_api.errors import error_response, service_unavailable

        response = error_response(service_unavailable())
    elif request.path.startswith(API_PREFIX):
        response = api_error(503, "service_unavailable", UNAVAILABLE_DETAIL)
    else:
        # No request context: its processors would ask the unavailable database for the user.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an unreachable database is a 503 in the caller's format, not a 500 page."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.warning("Answered 503: the database is unavailable (%s).", exc)
        try:
            return unavailable_response(request)
        except Exception:
            logger.exception("Cannot render the 503 answer.")
            return HttpResponseServerError("Service temporarily unavailable.")
    return django_server_error(request)
