"""Logging filters for the server log."""

import logging


class NoTracebackForRefusals(logging.Filter):
    """Log a refused request (403, 404) as one line: a refusal is not a bug to debug.

    Django logs every PermissionDenied with its traceback; a page of stack per refused
    click hides the errors that matter.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
