"""SCIM filters (RFC 7644 §3.4.2.2) parsed into an AST and translated into Django Q objects.

No SQL is written here: every comparison becomes an ORM lookup. Attribute names, operators and
literals are case-insensitive; string values of attributes that are not case-exact (userName
among them) compare case-insensitively. Unknown attributes and malformed filters raise a 400
`invalidFilter`, never a silently widened or emptied result.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from employees.models import Employee
from scim_api.errors import ScimError, invalid_filter

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 50

# The `lower` lookup used below (LOWER(col) = value, served by the Lower(user_name) index) is
# registered on CharField in EmployeesConfig.ready().

COMPARE_OPS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")

# ---------------------------------------------------------------------------------------------
# Tokens and AST


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "string", "number", "(", ")", "[", "]"
    value: Any
    raw: str


@dataclass(frozen=True)
class AttrRef:
    """An attribute path as written: optional schema URN, attribute, optional sub-attribute."""

    uri: str | None
    attr: str
    sub: str | None = None

    def __str__(self) -> str:
        text = f"{self.attr}.{self.sub}" if self.sub else self.attr
        return f"{self.uri}:{text}" if self.uri else text


@dataclass(frozen=True)
class Compare:
    path: AttrRef
    op: str  # one of COMPARE_OPS or "pr"
    value: Any = None


@dataclass(frozen=True)
class Logical:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    expr: Node


@dataclass(frozen=True)
class ValuePath:
    """`emails[type eq "work"]`, optionally followed by `.value eq "x"`."""

    path: AttrRef
    inner: Node
    then: Compare | None = None


Node = Compare | Logical | Not | ValuePath

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z0-9_:.$-]))
  | (?P<punct>[()\[\]])
  | (?P<word>[A-Za-z0-9_$.:\-]+)
    """,
    re.VERBOSE,
)


def tokenize(text: str) -> list[Token]:
    """Split a filter into tokens; a character that fits no token is an error."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise invalid_filter(f"Unexpected character {text[pos]!r} at position {pos + 1}.")
        pos = match.end()
        kind = match.lastgroup
        raw = match.group()
        if kind == "space":
            continue
        if kind == "string":
            try:
                value = json.loads(raw)
            except ValueError:
                raise invalid_filter(f"Invalid string literal {raw}.") from None
            tokens.append(Token("string", value, raw))
        elif kind == "number":
            tokens.append(Token("number", json.loads(raw), raw))
        elif kind == "punct":
            tokens.append(Token(raw, raw, raw))
        else:
            tokens.append(Token("word", raw, raw))
    return tokens


def parse_attr_ref(text: str) -> AttrRef:
    """Parse `urn:...:User:attr.sub`, `attr.sub` or `attr` (also `urn:...:User.attr`)."""
    uri = None
    rest = text
    lowered = text.lower()
    if lowered.startswith("urn:"):
        for known in (ENTERPRISE_USER, CORE_USER, CORE_GROUP):
            k = known.lower()
            if lowered.startswith(k + ":") or lowered.startswith(k + "."):
                uri, rest = known, text[len(known) + 1 :]
                break
        else:
            head, sep, tail = text.rpartition(":")
            if not sep or not head:
                raise invalid_filter(f"Invalid attribute path {text!r}.")
            uri, rest = head, tail
    parts = rest.split(".")
    if not (1 <= len(parts) <= 2) or not all(
        re.fullmatch(r"[A-Za-z$][A-Za-z0-9_$-]*", p) for p in parts
    ):
        raise invalid_filter(f"Invalid attribute path {text!r}.")
    return AttrRef(uri=uri, attr=parts[0], sub=parts[1] if len(parts) == 2 else None)


class _Parser:
    """Recursive descent over the RFC 7644 filter grammar (not > and > or precedence)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise invalid_filter("The filter ends too early.")
        self.pos += 1
        return token

    def expect(self, kind: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise invalid_filter(f"Expected {kind!r} but found {token.raw!r}.")
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.value.lower() == word

    def parse(self) -> Node:
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise invalid_filter(f"Unexpected {token.raw!r} in the filter.")
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.is_word("or"):
            self.take()
            node = Logical("or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.is_word("and"):
            self.take()
            node = Logical("and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.is_word("not"):
            self.take()
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise invalid_filter("The filter is nested too deeply.")
        try:
            token = self.take()
            if token.kind == "(":
                node = self.parse_or()
                self.expect(")")
                return node
            if token.kind != "word":
                raise invalid_filter(f"Expected an attribute name but found {token.raw!r}.")
            path = parse_attr_ref(token.value)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "[":
                self.take()
                inner = self.parse_or()
                self.expect("]")
                then = None
                follow = self.peek()
                if follow is not None and follow.kind == "word" and follow.value.startswith("."):
                    self.take()
                    sub = follow.value[1:]
                    if not re.fullmatch(r"[A-Za-z$][A-Za-z0-9_$-]*", sub):
                        raise invalid_filter(f"Invalid sub-attribute {follow.raw!r}.")
                    then = self.parse_comparison(AttrRef(uri=None, attr=sub))
                return ValuePath(path, inner, then)
            return self.parse_comparison(path)
        finally:
            self.depth -= 1

    def parse_comparison(self, path: AttrRef) -> Compare:
        op_token = self.take()
        op = op_token.value.lower() if op_token.kind == "word" else ""
        if op == "pr":
            return Compare(path, "pr")
        if op not in COMPARE_OPS:
            raise invalid_filter(f"Unknown operator {op_token.raw!r} after {path}.")
        value_token = self.take()
        if value_token.kind in ("string", "number"):
            value = value_token.value
        elif value_token.kind == "word" and value_token.value.lower() in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[value_token.value.lower()]
        else:
            raise invalid_filter(f"Invalid comparison value {value_token.raw!r} for {path}.")
        return Compare(path, op, value)


def parse_filter(text: str) -> Node:
    """Parse a filter expression into an AST, or raise 400 invalidFilter."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid_filter("The filter is too long.")
    if "\x00" in text:
        raise invalid_filter("The filter contains a NUL character.")
    return _Parser(tokenize(text)).parse()


def parse_value_path(text: str) -> tuple[AttrRef, Node | None, str | None]:
    """Parse a PATCH path: `attr`, `attr.sub`, `urn:...:attr`, `attr[filter].sub` (§3.5.2)."""
    if len(text) > MAX_FILTER_LENGTH or "\x00" in text:
        raise ScimError(400, "The path is invalid.", "invalidPath")
    tokens = tokenize(text)
    if not tokens or tokens[0].kind != "word":
        raise ScimError(400, f"The path {text!r} is invalid.", "invalidPath")
    path = parse_attr_ref(tokens[0].value)
    if len(tokens) == 1:
        return path, None, None
    if tokens[1].kind != "[" or path.sub is not None:
        raise ScimError(400, f"The path {text!r} is invalid.", "invalidPath")
    parser = _Parser(tokens)
    parser.pos = 2
    inner = parser.parse_or()
    parser.expect("]")
    sub = None
    rest = parser.peek()
    if rest is not None:
        parser.take()
        if rest.kind != "word" or not re.fullmatch(r"\.[A-Za-z$][A-Za-z0-9_$-]*", rest.value):
            raise ScimError(400, f"The path {text!r} is invalid.", "invalidPath")
        sub = rest.value[1:]
        if parser.peek() is not None:
            raise ScimError(400, f"The path {text!r} is invalid.", "invalidPath")
    return path, inner, sub


# ---------------------------------------------------------------------------------------------
# Evaluation against a single complex value (PATCH value filters such as type eq "work")


def matches_element(node: Node, element: dict[str, Any]) -> bool:
    """Evaluate a value filter against one element of a multi-valued attribute."""
    if isinstance(node, Logical):
        left = matches_element(node.left, element)
        right = matches_element(node.right, element)
        return (left and right) if node.op == "and" else (left or right)
    if isinstance(node, Not):
        return not matches_element(node.expr, element)
    if isinstance(node, ValuePath):
        raise invalid_filter("Nested value filters are not supported.")
    key = next((k for k in element if k.lower() == node.path.attr.lower()), None)
    actual = element.get(key) if key else None
    if node.op == "pr":
        return actual not in (None, "")
    return _compare_python(actual, node.op, node.value)


def _compare_python(actual: Any, op: str, expected: Any) -> bool:
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


# ---------------------------------------------------------------------------------------------
# Attributes of the User resource and their ORM fields


@dataclass(frozen=True)
class Field:
    """How one SCIM attribute is stored: ORM path and comparison kind."""

    orm: str
    kind: str  # "ci" text, "exact" text, "bool", "datetime", "uuid", "const"
    constant: str = ""  # for "const": the fixed value, present when `orm` is non-empty


USER_FIELDS: dict[tuple[str | None, str, str | None], Field] = {
    (None, "id", None): Field("public_id", "uuid"),
    (None, "externalid", None): Field("external_id", "exact"),
    (None, "username", None): Field("user_name", "ci"),
    (None, "name", "givenname"): Field("given_name", "ci"),
    (None, "name", "familyname"): Field("family_name", "ci"),
    (None, "displayname", None): Field("display_name", "ci"),
    (None, "title", None): Field("title", "ci"),
    (None, "active", None): Field("active", "bool"),
    (None, "emails", None): Field("work_email", "ci"),
    (None, "emails", "value"): Field("work_email", "ci"),
    (None, "emails", "type"): Field("work_email", "const", "work"),
    (None, "emails", "primary"): Field("work_email", "const", "true"),
    (None, "phonenumbers", None): Field("work_phone", "exact"),
    (None, "phonenumbers", "value"): Field("work_phone", "exact"),
    (None, "phonenumbers", "type"): Field("work_phone", "const", "work"),
    (None, "meta", "created"): Field("created_at", "datetime"),
    (None, "meta", "lastmodified"): Field("updated_at", "datetime"),
    (None, "meta", "resourcetype"): Field("", "const", "User"),
    ("ent", "employeenumber", None): Field("employee_number", "ci"),
    ("ent", "department", None): Field("department", "ci"),
    ("ent", "costcenter", None): Field("cost_center", "ci"),
    ("ent", "division", None): Field("division", "ci"),
    ("ent", "organization", None): Field("organization", "ci"),
    ("ent", "manager", None): Field("manager__public_id", "uuid"),
    ("ent", "manager", "value"): Field("manager__public_id", "uuid"),
    ("ent", "manager", "displayname"): Field("manager__display_name", "ci"),
}

# Attributes that only exist in the enterprise extension may also be written without the URN.
_ENTERPRISE_NAMES = {"employeenumber", "department", "costcenter", "division", "organization"}


def user_attribute_key(ref: AttrRef) -> tuple[str | None, str, str | None]:
    """Normalise an attribute path to a USER_FIELDS key (schema, attribute, sub-attribute)."""
    uri = ref.uri.lower() if ref.uri else None
    attr = ref.attr.lower()
    sub = ref.sub.lower() if ref.sub else None
    if uri == ENTERPRISE_USER.lower() or (uri is None and attr in _ENTERPRISE_NAMES):
        return ("ent", attr, sub)
    if uri is None or uri == CORE_USER.lower():
        return (None, attr, sub)
    return (uri, attr, sub)


def resolve_user_attribute(ref: AttrRef) -> Field:
    field = USER_FIELDS.get(user_attribute_key(ref))
    if field is None:
        raise invalid_filter(f"Unknown or unfilterable attribute {str(ref)!r}.")
    return field


GROUP_FIELDS: dict[tuple[str | None, str, str | None], Field] = {
    (None, "id", None): Field("public_id", "uuid"),
    (None, "externalid", None): Field("external_id", "exact"),
    (None, "displayname", None): Field("display_name", "ci"),
    (None, "members", None): Field("memberships__employee__public_id", "uuid"),
    (None, "members", "value"): Field("memberships__employee__public_id", "uuid"),
    (None, "members", "display"): Field("memberships__employee__display_name", "ci"),
    (None, "members", "type"): Field("", "const", "User"),
    (None, "meta", "created"): Field("created_at", "datetime"),
    (None, "meta", "lastmodified"): Field("updated_at", "datetime"),
    (None, "meta", "resourcetype"): Field("", "const", "Group"),
}


def resolve_group_attribute(ref: AttrRef) -> Field:
    """Return the Team field behind a Group attribute path, or raise 400 invalidFilter."""
    uri = ref.uri.lower() if ref.uri else None
    key = (
        None if uri in (None, CORE_GROUP.lower()) else uri,
        ref.attr.lower(),
        ref.sub.lower() if ref.sub else None,
    )
    field = GROUP_FIELDS.get(key)
    if field is None:
        raise invalid_filter(f"Unknown or unfilterable attribute {str(ref)!r}.")
    return field


# ---------------------------------------------------------------------------------------------
# Translation to Q

NOTHING = Q(pk__in=[])


def _text_q(field: Field, op: str, value: Any, label: str) -> Q:
    if value is None:
        if op == "eq":
            return Q(**{field.orm: ""})
        if op == "ne":
            return ~Q(**{field.orm: ""})
        raise invalid_filter(f"null cannot be compared with {op} on {label!r}.")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid_filter(f"{label!r} must be compared with a string.")
    value = str(value)
    if field.kind == "ci":
        lookups = {
            "eq": ("lower", value.lower()),
            "co": ("icontains", value),
            "sw": ("istartswith", value),
            "ew": ("iendswith", value),
            "gt": ("lower__gt", value.lower()),
            "ge": ("lower__gte", value.lower()),
            "lt": ("lower__lt", value.lower()),
            "le": ("lower__lte", value.lower()),
        }
    else:
        lookups = {
            "eq": ("exact", value),
            "co": ("contains", value),
            "sw": ("startswith", value),
            "ew": ("endswith", value),
            "gt": ("gt", value),
            "ge": ("gte", value),
            "lt": ("lt", value),
            "le": ("lte", value),
        }
    if op == "ne":
        lookup, operand = lookups["eq"]
        return ~Q(**{f"{field.orm}__{lookup}": operand})
    lookup, operand = lookups[op]
    return Q(**{f"{field.orm}__{lookup}": operand})


def _present_q(field: Field) -> Q:
    if field.kind == "const":
        return Q() if not field.orm else ~Q(**{field.orm: ""})
    if field.kind in ("uuid", "datetime", "bool"):
        return Q(**{f"{field.orm}__isnull": False})
    return ~Q(**{field.orm: ""}) & Q(**{f"{field.orm}__isnull": False})


def compare_q(field: Field, op: str, value: Any, label: str) -> Q:
    """Translate one attribute comparison into a Q object."""
    if op == "pr":
        return _present_q(field)
    if field.kind == "const":
        if value is None:
            return NOTHING if op == "eq" else _present_q(field)
        return _present_q(field) if _compare_python(field.constant, op, str(value)) else NOTHING
    if field.kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool) or op not in ("eq", "ne"):
            raise invalid_filter(f"{label!r} can only be compared with eq or ne to true or false.")
        q = Q(**{field.orm: value})
        return q if op == "eq" else ~q
    if field.kind == "uuid":
        if op not in ("eq", "ne"):
            raise invalid_filter(f"{label!r} can only be compared with eq, ne or pr.")
        if value is None:
            q = Q(**{f"{field.orm}__isnull": True})
        else:
            try:
                q = Q(**{field.orm: uuid.UUID(str(value))})
            except ValueError:
                q = NOTHING  # not an id we could have issued: matches no one
        return q if op == "eq" else ~q
    if field.kind == "datetime":
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed but impossible, such as month 13
            parsed = None
        if parsed is None or op in ("co", "sw", "ew"):
            raise invalid_filter(
                f"{label!r} must be compared with a date-time such as 2026-01-31T12:00:00Z."
            )
        lookup = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}[
            op
        ]
        q = Q(**{f"{field.orm}__{lookup}": parsed})
        return ~q if op == "ne" else q
    return _text_q(field, op, value, label)


def to_q(node: Node, resolve: Callable[[AttrRef], Field], parent: AttrRef | None = None) -> Q:
    """Translate a parsed filter into a Q object, resolving attribute names with `resolve`."""
    if isinstance(node, Logical):
        left = to_q(node.left, resolve, parent)
        right = to_q(node.right, resolve, parent)
        return (left & right) if node.op == "and" else (left | right)
    if isinstance(node, Not):
        return ~to_q(node.expr, resolve, parent)
    if isinstance(node, ValuePath):
        if parent is not None or node.path.sub is not None:
            raise invalid_filter("Value filters cannot be nested.")
        q = to_q(node.inner, resolve, node.path)
        if node.then is not None:
            q &= to_q(node.then, resolve, node.path)
        return q
    ref = node.path
    if parent is not None:
        if ref.uri is not None or ref.sub is not None:
            raise invalid_filter(f"Invalid attribute {str(ref)!r} inside {str(parent)!r}[...].")
        ref = AttrRef(uri=parent.uri, attr=parent.attr, sub=ref.attr)
    field = resolve(ref)
    return compare_q(field, node.op, node.value, str(ref))


def user_filter_q(text: str) -> Q:
    """Return the Q object for a User filter, or raise 400 invalidFilter."""
    return to_q(parse_filter(text), resolve_user_attribute)


def group_filter_q(text: str) -> Q:
    """Return the Q object for a Group (Team) filter, or raise 400 invalidFilter."""
    return to_q(parse_filter(text), resolve_group_attribute)


def employee_model() -> type[Employee]:
    """Return the model behind the SCIM User resource (django-scim2's USER_MODEL_GETTER)."""
    return Employee


class EmployeeFilterQuery:
    """django-scim2's USER_FILTER_PARSER: ORM filtering instead of the library's raw SQL."""

    attr_map: dict = {}

    @classmethod
    def search(cls, filter_query: str, request: Any = None):
        """Return the non-deleted employees matching a SCIM filter."""
        return Employee.objects.filter(deleted_at__isnull=True).filter(user_filter_q(filter_query))
