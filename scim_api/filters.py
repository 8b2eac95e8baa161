"""SCIM filters (RFC 7644 §3.4.2.2): parsed by scim2-models, translated into Django Q objects.

No SQL is written here: every comparison becomes an ORM lookup on the field the attribute
catalogue names. Attribute names, operators and literals are case-insensitive; string values
of attributes that are not case-exact (userName among them) compare case-insensitively, with
`LOWER(col) = value` so that the Lower(user_name) index serves Entra's lookups. Unknown
attributes and malformed filters raise a 400 `invalidFilter`, never a silently widened or
emptied result.
"""

from __future__ import annotations

import json
import re
import uuid
from functools import lru_cache
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from lark.exceptions import UnexpectedEOF, UnexpectedInput, UnexpectedToken
from scim2_models import InvalidFilterException, InvalidPathException
from scim2_models.path import (
    AttrPath,
    Comparison,
    FilterNode,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from scim2_models.path.grammar import _parse_filter, _parse_path

from scim_api.attributes import Attribute, Catalogue
from scim_api.catalogue import group_catalogue, user_catalogue
from scim_api.errors import ScimError, invalid_filter, invalid_path
from scim_api.values import parse_date

MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 50

# The `lower` lookup used below (LOWER(col) = value, served by the Lower(user_name) index) is
# registered on CharField in EmployeesConfig.ready().

# A JSON string literal, as the grammar's STRING terminal reads it.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*"')


class ParsedFilter(NamedTuple):
    """A filter's syntax tree; with `literals`, its string values are indexes into them."""

    node: FilterNode
    literals: tuple[str, ...] | None = None


def _nesting(text: str) -> int:
    """Return how deeply parentheses and brackets nest outside string literals."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth -= 1
    return deepest


def _syntax_error(exc: Exception) -> str:
    """Say what is wrong with a filter scim2-models could not parse."""
    cause = exc.__cause__
    if isinstance(cause, UnexpectedEOF) or (
        isinstance(cause, UnexpectedToken) and cause.token.type == "$END"
    ):
        return "The filter ends too early."
    if isinstance(cause, UnexpectedInput):
        return f"The filter is invalid at column {cause.column}."
    return "The filter is invalid."


def _parse_text(text: str) -> FilterNode:
    if _nesting(text) > MAX_DEPTH:
        raise invalid_filter("The filter is nested too deeply.")
    try:
        return _parse_filter(text)
    except InvalidFilterException as exc:
        raise invalid_filter(_syntax_error(exc)) from None
    except RecursionError:
        raise invalid_filter("The filter is nested too deeply.") from None


# Filters differ from one request to the next by their values (Entra asks for each user by
# name), so the tree is cached by the filter's shape: its text with each string literal
# replaced by its position ("0", "1"...). Parsing is pure, and a client sends few shapes.
_parse_shape = lru_cache(maxsize=512)(_parse_text)


def _literal(match: re.Match[str]) -> str:
    text = match[0]
    return json.loads(text) if "\\" in text else text[1:-1]


def parse_filter(text: str) -> ParsedFilter:
    """Parse a filter expression into scim2-models' syntax tree, or raise 400 invalidFilter."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid_filter("The filter is too long.")
    if "\x00" in text:
        raise invalid_filter("The filter contains a NUL character.")
    literals: list[str] = []

    def hole(match: re.Match[str]) -> str:
        literals.append(_literal(match))
        return f'"{len(literals) - 1}"'

    shape = _STRING.sub(hole, text)
    # A quote left over belongs to no valid literal: the filter as sent says what is wrong.
    if shape.count('"') == 2 * len(literals):
        try:
            return ParsedFilter(_parse_shape(shape), tuple(literals))
        except ScimError:
            pass
    return ParsedFilter(_parse_text(text))


def parse_path(text: str) -> AttrPath | ValuePath:
    """Parse a PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:...:attr`,
    `attr[filter]` or `attr[filter].sub`; anything else is a 400 invalidPath."""
    if len(text) > MAX_FILTER_LENGTH or "\x00" in text or _nesting(text) > MAX_DEPTH:
        raise invalid_path("The path is invalid.")
    try:
        node = _parse_path(text)
    except (InvalidPathException, RecursionError):
        if "[" in text:  # the value filter between the brackets is what cannot be read
            raise invalid_filter(f"The filter in the path {text!r} is invalid.") from None
        raise invalid_path(f"The path {text!r} is invalid.") from None
    if not isinstance(node, AttrPath | ValuePath):
        raise invalid_path(f"The path {text!r} is invalid.")
    return normalized(node) if isinstance(node, AttrPath) else node


def normalized(path: AttrPath) -> AttrPath:
    """Read `urn:...:2.0:User.manager` (a dot after the schema, as some clients write it)
    as `urn:...:2.0:User:manager`."""
    if path.uri and path.sub_attr and path.attr.lower() in ("user", "group"):
        return AttrPath(attr=path.sub_attr, uri=f"{path.uri}:{path.attr}")
    return path


# ---------------------------------------------------------------------------------------------
# Evaluation against one element of a multi-valued attribute (PATCH value filters)


def compare_python(actual: Any, op: str, expected: Any) -> bool:
    """Compare two values the way filters do, strings case-insensitively."""
    if isinstance(actual, str) and isinstance(expected, str):
        a, e = actual.lower(), expected.lower()
    else:
        a, e = actual, expected
    try:
        return {
            "eq": lambda: a == e,
            "ne": lambda: a != e,
            "co": lambda: isinstance(a, str) and e in a,
            "sw": lambda: isinstance(a, str) and a.startswith(e),
            "ew": lambda: isinstance(a, str) and a.endswith(e),
            "gt": lambda: a > e,
            "ge": lambda: a >= e,
            "lt": lambda: a < e,
            "le": lambda: a <= e,
        }[op]()
    except TypeError:
        return False


class ElementMatcher(FilterVisitor[bool]):
    """Evaluate a value filter against one element of a multi-valued attribute (a dict)."""

    def __init__(self, element: dict[str, Any]) -> None:
        self.element = {str(k).lower(): v for k, v in element.items()}

    def visit_comparison(self, node: Comparison) -> bool:
        actual = self.element.get(node.attr_path.attr.lower())
        return compare_python(actual, node.op.value, node.value)

    def visit_present(self, node: Present) -> bool:
        return self.element.get(node.attr_path.attr.lower()) not in (None, "")

    def visit_not(self, node: Not) -> bool:
        return not self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> bool:
        results = (self.visit(term) for term in node.terms)
        return all(results) if node.op == LogicalOperator.and_ else any(results)

    def visit_value_path(self, node: ValuePath) -> bool:
        raise invalid_filter("Nested value filters are not supported.")


# ---------------------------------------------------------------------------------------------
# Translation to Q

NOTHING = Q(pk__in=[])


_LOOKUPS = {
    "eq": "exact",
    "ne": "exact",
    "co": "contains",
    "sw": "startswith",
    "ew": "endswith",
    "gt": "gt",
    "ge": "gte",
    "lt": "lt",
    "le": "lte",
}
# op -> (lookup, whether the operand is lowered). Case-insensitive text compares LOWER(col)
# with the lowered value, so that the Lower() indexes serve it; co/sw/ew use Django's
# i-lookups, which escape LIKE wildcards in the value.
_EXACT_LOOKUPS = {op: (lookup, False) for op, lookup in _LOOKUPS.items()}
_CI_LOOKUPS = {
    op: (f"i{lookup}", False)
    if op in ("co", "sw", "ew")
    else ("lower" if lookup == "exact" else f"lower__{lookup}", True)
    for op, lookup in _LOOKUPS.items()
}


def _text_q(attribute: Attribute, op: str, value: Any, label: str) -> Q:
    orm = attribute.orm_path
    if value is None:
        if op == "eq":
            return Q(**{orm: ""})
        if op == "ne":
            return ~Q(**{orm: ""})
        raise invalid_filter(f"null cannot be compared with {op} on {label!r}.")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid_filter(f"{label!r} must be compared with a string.")
    lookup, lowered = (_CI_LOOKUPS if attribute.kind == "ci" else _EXACT_LOOKUPS)[op]
    value = str(value)
    q = Q(**{f"{orm}__{lookup}": value.lower() if lowered else value})
    return ~q if op == "ne" else q


def present_q(attribute: Attribute) -> Q:
    if attribute.compare is not None:
        return attribute.compare(attribute, "pr", None, attribute.label)
    orm = attribute.orm_path
    if attribute.kind == "const":
        return Q() if not orm else ~Q(**{orm: ""})
    if attribute.kind in ("uuid", "datetime", "date", "bool"):
        return Q(**{f"{orm}__isnull": False})
    return ~Q(**{orm: ""}) & Q(**{f"{orm}__isnull": False})


def compare_q(attribute: Attribute, op: str, value: Any, label: str) -> Q:
    """Translate one attribute comparison into a Q object."""
    if attribute.compare is not None:
        return attribute.compare(attribute, op, value, label)
    orm = attribute.orm_path
    if attribute.operand is not None and isinstance(value, str):
        value = attribute.operand(value)
    if attribute.kind == "const":
        if value is None:
            return NOTHING if op == "eq" else present_q(attribute)
        matched = compare_python(attribute.constant, op, str(value))
        return present_q(attribute) if matched else NOTHING
    if attribute.kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool) or op not in ("eq", "ne"):
            raise invalid_filter(f"{label!r} can only be compared with eq or ne to true or false.")
        q = Q(**{orm: value})
        return q if op == "eq" else ~q
    if attribute.kind == "uuid":
        if op not in ("eq", "ne"):
            raise invalid_filter(f"{label!r} can only be compared with eq, ne or pr.")
        if value is None:
            q = Q(**{f"{orm}__isnull": True})
        else:
            try:
                q = Q(**{orm: uuid.UUID(str(value))})
            except ValueError:
                q = NOTHING  # not an id we could have issued: matches no one
        return q if op == "eq" else ~q
    if attribute.kind == "datetime":
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed but impossible, such as month 13
            parsed = None
        if parsed is None or op in ("co", "sw", "ew"):
            raise invalid_filter(
                f"{label!r} must be compared with a date-time such as 2026-01-31T12:00:00Z."
            )
        lookup = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
        q = Q(**{f"{orm}__{lookup[op]}": parsed})
        return ~q if op == "ne" else q
    if attribute.kind == "date":
        return _date_q(attribute, op, value, label)
    return _text_q(attribute, op, value, label)


def _date_q(attribute: Attribute, op: str, value: Any, label: str) -> Q:
    """Compare a date (startDate) with a date or a dateTime read as its written date."""
    orm = attribute.orm_path
    if value is None and op in ("eq", "ne"):
        q = Q(**{f"{orm}__isnull": True})
        return q if op == "eq" else ~q
    if op in ("co", "sw", "ew") or value is None:
        raise invalid_filter(f"{label!r} can be compared with eq, ne, gt, ge, lt, le, pr.")
    try:
        day = parse_date(value, attribute)
    except ScimError:
        raise invalid_filter(
            f"{label!r} must be compared with a date such as 2027-01-04 or 2027-01-04T00:00:00Z."
        ) from None
    lookup = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
    q = Q(**{f"{orm}__{lookup[op]}": day})
    return ~q if op == "ne" else q


def resolve(catalogue: Catalogue, path: AttrPath, parent: AttrPath | None = None) -> Attribute:
    """Return the filterable attribute a filter names, or raise 400 invalidFilter."""
    path = normalized(path)
    if parent is not None:
        if path.uri is not None or path.sub_attr is not None:
            raise invalid_filter(f"Invalid attribute {str(path)!r} inside {str(parent)!r}[...].")
        path = AttrPath(attr=parent.attr, sub_attr=path.attr, uri=parent.uri)
    attribute = catalogue.get(path.uri, path.attr, path.sub_attr)
    if attribute is None or not attribute.kind or not (attribute.orm_path or attribute.constant):
        raise invalid_filter(f"Unknown or unfilterable attribute {str(path)!r}.")
    return attribute


def _target(catalogue: Catalogue, path: AttrPath, parent: AttrPath | None) -> tuple[Attribute, str]:
    """Return the attribute a filter names and its name in error details, looked up once
    per catalogue (the built-in one lives as long as the process)."""
    key = (path, parent)
    found = catalogue.filter_targets.get(key)
    if found is None:
        label = str(path) if parent is None else f"{parent.attr}.{path.attr}"
        if parent is not None and parent.uri:
            label = f"{parent.uri}:{label}"
        found = catalogue.filter_targets[key] = (resolve(catalogue, path, parent), label)
    return found


class QBuilder(FilterVisitor[Q]):
    """Build a Django Q object from a filter tree, resolving names in a catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        parent: AttrPath | None = None,
        literals: tuple[str, ...] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.parent = parent
        self.literals = literals

    def visit_comparison(self, node: Comparison) -> Q:
        attribute, label = _target(self.catalogue, node.attr_path, self.parent)
        value = node.value
        if self.literals is not None and isinstance(value, str):
            value = self.literals[int(value)]
        return compare_q(attribute, node.op.value, value, label)

    def visit_present(self, node: Present) -> Q:
        return present_q(_target(self.catalogue, node.attr_path, self.parent)[0])

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        q = terms[0]
        for term in terms[1:]:
            q = (q & term) if node.op == LogicalOperator.and_ else (q | term)
        return q

    def visit_value_path(self, node: ValuePath) -> Q:
        if self.parent is not None:
            raise invalid_filter("Value filters cannot be nested.")
        return QBuilder(self.catalogue, node.attr_path, self.literals).visit(node.val_filter)


def filter_q(text: str, catalogue: Catalogue) -> Q:
    """Return the Q object for a filter over a catalogue's attributes, or raise 400."""
    parsed = parse_filter(text)
    return QBuilder(catalogue, literals=parsed.literals).visit(parsed.node)


def user_filter_q(text: str, request=None) -> Q:
    """Return the Q object for a User filter, or raise 400 invalidFilter."""
    return filter_q(text, user_catalogue(request))


def group_filter_q(text: str, request=None) -> Q:
    """Return the Q object for a Group (Team) filter, or raise 400 invalidFilter."""
    return filter_q(text, group_catalogue(request))


__all__ = ["ScimError", "filter_q", "group_filter_q", "parse_filter", "parse_path", "user_filter_q"]
