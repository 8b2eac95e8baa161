"""Case-insensitive employee search that folds non-ASCII letters on SQLite and PostgreSQL alike.

SQLite's LIKE, LOWER and UPPER fold ASCII only, so "åsa" would not find "Åsa". On SQLite each
search term becomes a GLOB pattern listing both cases of every letter ("*[åÅ][sS][aA]*"), which
is exact for any alphabet (no index serves it: a search reads the table). PostgreSQL's UPPER
folds every letter; there the searchable text is one expression,
UPPER(given_name || ' ' || family_name || ...), covered by a pg_trgm GIN index (migration
0002) so that a search stays fast at 100,000 employees.
"""

from __future__ import annotations

import unicodedata

from django.db.models import BooleanField, Expression, F, Func, TextField

# The columns a directory search looks in; the PostgreSQL index covers this exact expression.
SEARCH_FIELDS = (
    "given_name",
    "family_name",
    "display_name",
    "user_name",
    "work_email",
    "title",
    "employee_number",
)

_GLOB_SPECIAL = {"*": "[*]", "?": "[?]", "[": "[[]", "]": "[]]"}


def normalize_term(term: str) -> str:
    """Return the term in Unicode NFC, the form names are stored in."""
    return unicodedata.normalize("NFC", term)


def glob_pattern(term: str) -> str:
    """Return a case-insensitive SQLite GLOB pattern that finds `term` anywhere in a text."""
    parts = []
    for char in normalize_term(term):
        variants = sorted({v for v in (char, char.lower(), char.upper()) if len(v) == 1})
        if len(variants) > 1:
            parts.append("[" + "".join(variants) + "]")
        else:
            parts.append(_GLOB_SPECIAL.get(char, char))
    return "*" + "".join(parts) + "*"


class SearchDocument(Func):
    """The employee's searchable text: SEARCH_FIELDS joined by spaces (upper case on PostgreSQL)."""

    function = "UPPER"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(*(F(field) for field in SEARCH_FIELDS))

    def as_sqlite(self, compiler, connection, **extra_context):
        # GLOB patterns carry both cases, so the text is searched as stored.
        return super().as_sql(compiler, connection, function="", **extra_context)


class SearchMatch(Expression):
    """True when the employee's searchable text contains `term`, ignoring letter case.

    A search term never contains whitespace (the caller splits on it), so a match cannot
    straddle two fields.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, term: str) -> None:
        super().__init__()
        self.term = normalize_term(term)
        self.document = SearchDocument()

    def get_source_expressions(self):
        return [self.document]

    def set_source_expressions(self, exprs):
        (self.document,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.document)
        pattern = f"%{connection.ops.prep_for_like_query(self.term)}%"
        return f"{sql} LIKE UPPER(%s)", [*params, pattern]

    def as_sqlite(self, compiler, connection):
        # One GLOB per column is cheaper than building the joined text for every row.
        pattern = glob_pattern(self.term)
        parts, params = [], []
        for column in self.document.get_source_expressions():
            sql, column_params = compiler.compile(column)
            parts.append(f"{sql} GLOB %s")
            params.extend([*column_params, pattern])
        return "(" + " OR ".join(parts) + ")", params
