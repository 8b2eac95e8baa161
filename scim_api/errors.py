"""SCIM error responses (RFC 7644 §3.12): status as a string, scimType, a detail naming it."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, ValidationError
from django.http import HttpResponse
from django_scim import exceptions
from django_scim.constants import SCIM_CONTENT_TYPE, SchemaURI

from alexis.outage import RETRY_AFTER_SECONDS, UNAVAILABLE_DETAIL, database_unavailable


class ScimError(exceptions.SCIMException):
    """A SCIM error that the views turn into an RFC 7644 §3.12 response."""

    def __init__(
        self,
        status: int,
        detail: str,
        scim_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail, status=status, scim_type=scim_type)
        self.headers = headers or {}

    def to_dict(self) -> dict:
        body = {"schemas": [SchemaURI.ERROR], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def bad_request(detail: str, scim_type: str | None = None) -> ScimError:
    return ScimError(400, detail, scim_type)


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def service_unavailable() -> ScimError:
    return ScimError(
        503,
        UNAVAILABLE_DETAIL,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def not_found(resource_id: str) -> ScimError:
    return ScimError(404, f"Resource {resource_id} not found.")


def validation_error(
    exc: ValidationError, label_of: Callable[[str], str | None], unknown: str | None = None
) -> ScimError:
    """Translate a service ValidationError into a SCIM error naming the attribute.

    A value another record already holds (code "unique") is a 409 uniqueness; anything else
    is a 400 invalidValue. `label_of` names the SCIM attribute of a model field.
    """
    if not hasattr(exc, "error_dict"):
        return invalid_value(exc.messages[0])
    for field, errors in exc.error_dict.items():
        for error in errors:
            if error.code == "unique":
                name = label_of(field) or field
                return ScimError(409, f"{name}: {error.messages[0]}", "uniqueness")
    field, errors = next(iter(exc.error_dict.items()))
    name = (label_of(field) or unknown) if field != NON_FIELD_ERRORS else None
    message = errors[0].messages[0]
    return invalid_value(f"{name}: {message}" if name else message)


def from_exception(exc: Exception) -> ScimError:
    """Return a ScimError for any exception; unknown ones become a 500 that reveals nothing."""
    if isinstance(exc, ScimError):
        return exc
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return ScimError(413, f"The request body is larger than the limit of {limit} bytes.")
    if database_unavailable(exc):
        # The database is unreachable (or cannot serve this request now): Entra retries a 503
        # after Retry-After instead of counting the request as failed.
        return service_unavailable()
    if isinstance(exc, exceptions.SCIMException):
        # Raised by django-scim2 code paths we did not replace; keep status and type, not text.
        status = int(exc.status)
        detail = exc.detail if status in (400, 404, 501) and isinstance(exc.detail, str) else ""
        return ScimError(status, detail or "The request could not be processed.", exc.scim_type)
    return ScimError(500, "The request could not be processed. Try again later.")


def error_response(error: ScimError) -> HttpResponse:
    """Render a ScimError as an application/scim+json response."""
    response = HttpResponse(
        json.dumps(error.to_dict()), content_type=SCIM_CONTENT_TYPE, status=int(error.status)
    )
    for name, value in error.headers.items():
        response[name] = value
    return response
