"""Gunicorn's access log, with credentials redacted from every atom."""

from __future__ import annotations

from gunicorn.glogging import Logger

from alexis.redaction import REDACTED, is_sensitive_name, redact_log_text, redact_query

# Request-line atoms that carry the query string or a full URL (see gunicorn's access log).
_URL_ATOMS = ("r", "f")
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class RedactingLogger(Logger):
    """Gunicorn's logger, with credentials removed from every access-log atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if atoms.get("q"):
            atoms["q"] = redact_query(atoms["q"])
        for name in _URL_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_log_text(atoms[name])
        for name in list(atoms):
            # Request and response headers and WSGI environ values: "{name}i", "o", "e".
            if not (name.startswith("{") and name[-2:] in ("}i", "}o", "}e")):
                continue
            key = name[1:-2].removeprefix("http_").replace("_", "-")
            value = atoms[name]
            if key in _SECRET_HEADERS or is_sensitive_name(key):
                atoms[name] = REDACTED
            elif key == "query-string" and isinstance(value, str):
                atoms[name] = redact_query(value)
            elif isinstance(value, str):
                atoms[name] = redact_log_text(value)
        return atoms
