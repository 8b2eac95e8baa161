"""What every part of Alexis says when the database is out: shared by the project's error
handlers and the apps' own error formats (SCIM, the API), which the handlers call."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# How long a client should wait before retrying after a 503.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_DETAIL = "The service is temporarily unavailable; retry later."


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether an exception says the database cannot be reached or used right now."""
    return isinstance(exc, OperationalError | InterfaceError)
