"""Remove credentials from query strings and log lines before they are stored or written.

A client may put a token where it does not belong (`/scim/v2/Users?access_token=...`). The
request is refused, but the query string would otherwise land in the provisioning log, on its
page and in server logs. Values of credential-looking parameters, and anything anywhere that
looks like an Alexis access token or OAuth client secret, are replaced by a marker.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

from access_tokens.crypto import CREDENTIAL_MARKERS

REDACTED = "[redacted]"
_REDACTED_QUERY_VALUE = "%5Bredacted%5D"  # REDACTED, as it appears in a query string

# Parameter names (compared without case) whose values are credentials.
SENSITIVE_NAMES = frozenset(
    {
        "access_token",
        "token",
        "code",
        "password",
        "passwd",
        "secret",
        "key",
        "api_key",
        "apikey",
        "client_secret",
        "refresh_token",
        "id_token",
        "samlresponse",
        "signature",
        "sig",
    }
)
_SENSITIVE_SUFFIXES = ("_token", "_secret", "_password", "_key")
# An Alexis access token or client secret (see access_tokens.crypto), also when cut short or
# percent-encoded (`alx%5F...`). The marker is kept so a reader knows what was there.
_MARKERS = "|".join(re.escape(marker[:-1]) for marker in CREDENTIAL_MARKERS)
_TOKEN = re.compile(rf"({_MARKERS})_[0-9A-Za-z]{{4,}}")
_TOKEN_IN_QUERY = re.compile(rf"({_MARKERS})(?:_|%5[Ff])[0-9A-Za-z]{{4,}}", re.IGNORECASE)


def is_sensitive_name(name: str) -> bool:
    """Whether a query parameter or header name says its value is a credential."""
    lowered = name.strip().lower().replace("-", "_")
    return lowered in SENSITIVE_NAMES or lowered.endswith(_SENSITIVE_SUFFIXES)


def redact_text(text: str) -> str:
    """Replace anything in free text that looks like an Alexis access token or client secret."""
    return _TOKEN.sub(lambda m: f"{m.group(1)}_{REDACTED}", text)


def redact_query(query: str) -> str:
    """Return a raw query string with credential values replaced; the rest stays as sent."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, _value = part.partition("=")
        if sep and is_sensitive_name(unquote_plus(name)):
            part = f"{name}={_REDACTED_QUERY_VALUE}"
        parts.append(_TOKEN_IN_QUERY.sub(lambda m: f"{m.group(1)}_{_REDACTED_QUERY_VALUE}", part))
    return "&".join(parts)


_QUERY_IN_TEXT = re.compile(r"\?([^\s\"']*)")


def redact_log_text(text: str) -> str:
    """Redact query strings inside a log line (request lines, URLs) and any token in it."""
    return redact_text(_QUERY_IN_TEXT.sub(lambda m: "?" + redact_query(m.group(1)), text))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts credentials from every record's message before output."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_log_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
