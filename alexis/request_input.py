"""Decode request input once, refusing text that no database column can hold.

PostgreSQL text cannot contain NUL, and no UTF-8 encoder accepts an unpaired surrogate
(the JSON escape "\\ud800" decodes to one). Both used to surface as 500s deep in a query or an
INSERT. SCIM, the public API and the pages check their input here, before anything reads it,
and answer with a 400 in their own format naming the offending parameter or attribute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# A backslash escape in JSON-style string literals (SCIM filters and PATCH paths quote their
# values as JSON strings): `\uXXXX`, or a backslash and any one character. Matching pairs from
# left to right keeps an escaped backslash (`\\u0000`) from being read as an escape.
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)

NUL_MESSAGE = "must not contain NUL characters"
SURROGATE_MESSAGE = "must not contain unpaired surrogate characters (\\ud800 to \\udfff)"


class InputError(ValueError):
    """Input that cannot be accepted; `name` says where (a parameter or attribute path)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name} {message}." if name else message)
        self.name = name
        self.message = message


def text_problem(value: str) -> str | None:
    """Return why a decoded string cannot be stored, or None when it can."""
    if "\x00" in value:
        return NUL_MESSAGE
    if _SURROGATE.search(value):
        return SURROGATE_MESSAGE
    return None


def escaped_text_problem(value: str) -> str | None:
    """Return why a string would decode (through its `\\uXXXX` escapes) to unstorable text."""
    if problem := text_problem(value):
        return problem
    pending_high: int | None = None  # end offset of a high surrogate escape awaiting its pair
    for match in _ESCAPE.finditer(value):
        code = int(match.group(1), 16) if match.group(1) else None
        if pending_high is not None:
            if code is None or not 0xDC00 <= code <= 0xDFFF or match.start() != pending_high:
                return SURROGATE_MESSAGE
            pending_high = None
            continue
        if code is None:
            continue
        if code == 0:
            return NUL_MESSAGE
        if 0xD800 <= code <= 0xDBFF:
            pending_high = match.end()
        elif 0xDC00 <= code <= 0xDFFF:
            return SURROGATE_MESSAGE
    return SURROGATE_MESSAGE if pending_high is not None else None


def check_json_text(data: Any, *, escaped_keys: Iterable[str] = (), path: str = "") -> None:
    """Raise InputError naming the first key or string in a JSON document that is unstorable.

    Strings under a key in `escaped_keys` (compared without case) are also read as quoted
    expressions whose `\\uXXXX` escapes must decode to storable text (SCIM filters, paths).
    """
    escaped = {key.lower() for key in escaped_keys}
    stack: list[tuple[str, Any, bool]] = [(path, data, False)]
    while stack:
        where, value, is_expression = stack.pop()
        if isinstance(value, str):
            problem = escaped_text_problem(value) if is_expression else text_problem(value)
            if problem:
                raise InputError(where or "The request body", problem)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                name = f"{where}.{key}" if where else str(key)
                if problem := text_problem(key):
                    raise InputError(f"{where or 'The request body'}: an attribute name", problem)
                stack.append((name, item, key.lower() in escaped))
        elif isinstance(value, list):
            stack.extend(
                (f"{where}[{index}]", item, is_expression)
                for index, item in reversed(list(enumerate(value)))
            )


def load_json(text: str) -> Any:
    """Parse JSON text; raise ValueError for invalid JSON, including nesting too deep to parse."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("The JSON is nested too deeply.") from None


def check_query(params: Any, *, escaped_keys: Iterable[str] = ()) -> None:
    """Raise InputError naming the first query parameter (name or value) that is unstorable."""
    escaped = {key.lower() for key in escaped_keys}
    for name, values in params.lists():
        if problem := text_problem(name):
            raise InputError("A query parameter name", problem)
        for value in values:
            check = escaped_text_problem if name.lower() in escaped else text_problem
            if problem := check(value):
                raise InputError(name, problem)
