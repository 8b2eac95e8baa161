"""Translate the list query parameters (select, filter, sort, limit, offset) into a query.

    select=id,given_name,manager            fields to return (id is always returned)
    filter[department]=Sales                 exact match (case-insensitive for text)
    filter[title][contains]=eng              operator form: filter[<field>][<operator>]=<value>
    filter[employment_type][in]=full_time,intern
    filter[start_date][gte]=2024-01-01
    filter[custom_fields.badgeColor]=Red     a custom field, by its attribute name
    sort=-family_name,given_name             comma list, "-" for descending
    limit=50&offset=100                      page size (1..MAX_LIMIT) and start

Every parameter is checked: an unknown parameter, field, operator or a value of the
wrong type raises QueryParameterError naming the parameter, which the API answers with 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Lower
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.http import QueryDict
from rest_framework import serializers

from custom_fields import values as custom_values
from custom_fields.models import CustomField, FieldType
from employees.custom_values import CUSTOM_PREFIX
from employees.models import EmploymentType

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2_147_483_647
MAX_IN_VALUES = 100

TEXT_OPERATORS = ("contains", "startswith", "in")
DATE_OPERATORS = ("gt", "gte", "lt", "lte", "isnull")
DATETIME_OPERATORS = ("gt", "gte", "lt", "lte")


class QueryParameterError(Exception):
    """A query parameter that the API does not understand; names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _text_field() -> serializers.Field:
    # DRF's CharField refuses NUL and lone surrogate characters, which databases cannot store.
    return serializers.CharField(allow_blank=True, max_length=255)


@dataclass(frozen=True)
class FilterField:
    """A field that can be filtered on: its ORM path, value parser and operators."""

    name: str
    lookup: str
    kind: str  # text, choice, uuid, boolean, date, datetime
    operators: tuple[str, ...]
    description: str = ""
    choices: tuple[str, ...] = field(default=())
    # A custom field: its values are read and compared as custom_fields.values does.
    definition: CustomField | None = None

    def parser(self) -> serializers.Field:
        if self.kind == "uuid":
            return serializers.UUIDField()
        if self.kind == "boolean":
            return serializers.BooleanField()
        if self.kind == "date":
            return serializers.DateField()
        if self.kind == "datetime":
            return serializers.DateTimeField()
        if self.kind == "choice":
            return serializers.ChoiceField(choices=self.choices, allow_blank=True)
        return _text_field()


def _text(name: str, description: str = "") -> FilterField:
    return FilterField(name, name, "text", TEXT_OPERATORS, description)


FILTER_FIELDS: dict[str, FilterField] = {
    f.name: f
    for f in (
        FilterField("id", "public_id", "uuid", ("in",), "The employee's id."),
        _text("user_name"),
        _text("external_id"),
        _text("given_name"),
        _text("family_name"),
        _text("display_name"),
        _text("title"),
        _text("work_email"),
        _text("work_phone"),
        _text("employee_number"),
        _text("department"),
        _text("cost_center"),
        _text("division"),
        _text("organization"),
        _text("location"),
        FilterField(
            "employment_type",
            "employment_type",
            "choice",
            ("in",),
            choices=tuple(EmploymentType.values),
        ),
        FilterField(
            "manager_id", "manager__public_id", "uuid", ("in", "isnull"), "The manager's id."
        ),
        FilterField("active", "active", "boolean", ()),
        FilterField("start_date", "start_date", "date", DATE_OPERATORS),
        FilterField("end_date", "end_date", "date", DATE_OPERATORS),
        FilterField("created_at", "created_at", "datetime", DATETIME_OPERATORS),
        FilterField("updated_at", "updated_at", "datetime", DATETIME_OPERATORS),
    )
}

# API field -> ORM field for sort; every listed field is backed by a column.
SORT_FIELDS: dict[str, str] = {
    "id": "public_id",
    **{
        name: name
        for name in (
            "user_name",
            "given_name",
            "family_name",
            "display_name",
            "title",
            "work_email",
            "employee_number",
            "department",
            "cost_center",
            "division",
            "organization",
            "location",
            "employment_type",
            "active",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        )
    },
}
DEFAULT_ORDERING = ("family_name", "given_name", "pk")

_FILTER_PARAMETER = re.compile(r"^filter\[(?P<field>[^\[\]]*)\](?:\[(?P<operator>[^\[\]]*)\])?$")


@dataclass
class ListQuery:
    """A checked list request: what to return, which rows, in which order, which page."""

    select: frozenset[str] | None = None
    condition: Q = field(default_factory=Q)
    ordering: tuple[str, ...] = DEFAULT_ORDERING
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def _single(params: QueryDict, name: str) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        raise QueryParameterError(name, "Give this parameter only once.")
    return values[0]


def _parse_value(parameter: str, parser: serializers.Field, raw: str):
    try:
        return parser.run_validation(raw)
    except serializers.ValidationError as exc:
        detail = exc.detail
        message = detail[0] if isinstance(detail, list) and detail else str(detail)
        raise QueryParameterError(parameter, str(message)) from None


def _equals_ignoring_case(lookup: str, value: str) -> Q:
    # LOWER(col) = LOWER(%s) rather than iexact's UPPER(...): the user name's unique index
    # is on LOWER(user_name), so a lookup by user name is an index scan at any size.
    return Q(**{f"{lookup}__lower": Lower(Value(value))})


def _parse_filter(parameter: str, raw: str, fields: dict[str, FilterField]) -> Q:
    match = _FILTER_PARAMETER.match(parameter)
    if match is None:
        raise QueryParameterError(
            parameter, "Write filters as filter[<field>]=<value> or filter[<field>][<operator>]."
        )
    name, operator = match["field"], match["operator"]
    spec = fields.get(name)
    if spec is None:
        raise QueryParameterError(
            parameter, f"Unknown field {name!r}. Filterable: {', '.join(fields)}."
        )
    if operator is not None and operator not in spec.operators:
        allowed = ", ".join(spec.operators) or "none (exact match only)"
        raise QueryParameterError(
            parameter, f"Unknown operator {operator!r} for {name}. Operators: {allowed}."
        )
    if spec.definition is not None:
        return _custom_filter(parameter, spec.definition, operator, raw)
    text_like = spec.kind in {"text", "choice"}
    if operator is None:
        value = _parse_value(parameter, spec.parser(), raw)
        return (
            _equals_ignoring_case(spec.lookup, value)
            if spec.kind == "text"
            else Q(**{spec.lookup: value})
        )
    if operator == "isnull":
        value = _parse_value(parameter, serializers.BooleanField(), raw)
        return Q(**{f"{spec.lookup}__isnull": value})
    if operator == "in":
        items = [item.strip() for item in raw.split(",")]
        if len(items) > MAX_IN_VALUES:
            raise QueryParameterError(parameter, f"Give at most {MAX_IN_VALUES} values.")
        values = [_parse_value(parameter, spec.parser(), item) for item in items]
        if spec.kind == "text":
            condition = Q(pk__in=[])
            for value in values:
                condition |= _equals_ignoring_case(spec.lookup, value)
            return condition
        return Q(**{f"{spec.lookup}__in": values})
    value = _parse_value(parameter, spec.parser(), raw)
    if text_like:  # contains, startswith: case-insensitive
        return Q(**{f"{spec.lookup}__i{operator}": value})
    return Q(**{f"{spec.lookup}__{operator}": value})


_ORDER_LOOKUPS = {
    "gt": GreaterThan,
    "gte": GreaterThanOrEqual,
    "lt": LessThan,
    "lte": LessThanOrEqual,
}
_CUSTOM_KINDS = {
    FieldType.TEXT: ("text", ("contains", "startswith", "in", "isnull")),
    FieldType.CHOICE: ("choice", ("in", "isnull")),
    FieldType.NUMBER: ("number", ("gt", "gte", "lt", "lte", "isnull")),
    FieldType.DATE: ("date", DATE_OPERATORS),
    FieldType.BOOLEAN: ("boolean", ("isnull",)),
}


def custom_filter_fields(definitions: Iterable[CustomField]) -> dict[str, FilterField]:
    """Return the filterable fields of the custom fields owners defined:
    filter[custom_fields.<name>] and its operators."""
    fields = {}
    for definition in definitions:
        kind, operators = _CUSTOM_KINDS[definition.field_type]
        name = CUSTOM_PREFIX + definition.name
        fields[name] = FilterField(
            name,
            custom_values.lookup(definition),
            kind,
            operators,
            f"{definition.label} (custom field).",
            tuple(definition.choices),
            definition,
        )
    return fields


def _custom_value(parameter: str, definition: CustomField, raw: str) -> Any:
    try:
        value = custom_values.parse(definition, raw)
    except ValidationError as exc:
        raise QueryParameterError(parameter, exc.messages[0]) from None
    if value is None:
        raise QueryParameterError(parameter, "Give a value, or use [isnull] for empty ones.")
    return value


def _custom_filter(parameter: str, definition: CustomField, operator: str | None, raw: str) -> Q:
    """Compare one custom field: text in any letter case (like built-in text), choices and
    yes/no as stored, numbers and dates in order."""
    path = custom_values.lookup(definition)
    text = definition.field_type == FieldType.TEXT

    def equals(value: Any) -> Q:
        if text:
            return Q(**{f"{path}__iexact": value})
        return custom_values.equals_q(definition, value)

    if operator == "isnull":
        empty = _parse_value(parameter, serializers.BooleanField(), raw)
        present = Q(**{f"{custom_values.STORAGE}__has_key": definition.name})
        return ~present if empty else present
    if operator == "in":
        items = [item.strip() for item in raw.split(",")]
        if len(items) > MAX_IN_VALUES:
            raise QueryParameterError(parameter, f"Give at most {MAX_IN_VALUES} values.")
        condition = Q(pk__in=[])
        for item in items:
            condition |= equals(_custom_value(parameter, definition, item))
        return condition
    value = _custom_value(parameter, definition, raw)
    if operator is None:
        return equals(value)
    if operator in ("contains", "startswith"):
        return Q(**{f"{path}__i{operator}": value})
    if definition.field_type == FieldType.DATE:  # kept as ISO text: compared as text
        return Q(_ORDER_LOOKUPS[operator](KT(path), value))
    return Q(**{f"{path}__{operator}": value})


def _parse_select(raw: str, selectable: Iterable[str]) -> frozenset[str]:
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        raise QueryParameterError("select", "Name at least one field.")
    allowed = list(selectable)
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise QueryParameterError(
            "select", f"Unknown field {unknown[0]!r}. Fields: {', '.join(allowed)}."
        )
    return frozenset(names) | {"id"}


def _parse_sort(raw: str, fields: dict[str, str]) -> tuple[str, ...]:
    ordering: list[str] = []
    seen: set[str] = set()
    for item in raw.split(","):
        item = item.strip()
        descending = item.startswith("-")
        name = item.removeprefix("-")
        if name not in fields:
            raise QueryParameterError(
                "sort", f"Cannot sort by {name!r}. Sortable: {', '.join(fields)}."
            )
        if name in seen:
            raise QueryParameterError("sort", f"{name} is given more than once.")
        seen.add(name)
        ordering.append(("-" if descending else "") + fields[name])
    # The primary key last keeps pages stable when sort values tie.
    return (*ordering, "pk")


def _parse_int(name: str, raw: str, *, minimum: int, maximum: int) -> int:
    parser = serializers.IntegerField(min_value=minimum, max_value=maximum)
    return _parse_value(name, parser, raw)


def parse_list_query(
    params: QueryDict,
    *,
    selectable: Iterable[str],
    listing: bool = True,
    filter_fields: dict[str, FilterField] | None = None,
    sort_fields: dict[str, str] | None = None,
    default_ordering: tuple[str, ...] = DEFAULT_ORDERING,
) -> ListQuery:
    """Check list (or, with listing=False, single-object) query parameters.

    The filterable and sortable fields default to the employee's.
    """
    filter_fields = FILTER_FIELDS if filter_fields is None else filter_fields
    sort_fields = SORT_FIELDS if sort_fields is None else sort_fields
    query = ListQuery(ordering=default_ordering)
    conditions = Q()
    for name in params:
        if name == "select":
            query.select = _parse_select(_single(params, name), selectable)
        elif not listing:
            raise QueryParameterError(name, "Unknown parameter. Allowed: select.")
        elif name == "sort":
            query.ordering = _parse_sort(_single(params, name), sort_fields)
        elif name == "limit":
            query.limit = _parse_int(name, _single(params, name), minimum=1, maximum=MAX_LIMIT)
        elif name == "offset":
            query.offset = _parse_int(name, _single(params, name), minimum=0, maximum=MAX_OFFSET)
        elif name.startswith("filter"):
            conditions &= _parse_filter(name, _single(params, name), filter_fields)
        else:
            raise QueryParameterError(
                name, "Unknown parameter. Allowed: select, filter[...], sort, limit, offset."
            )
    query.condition = conditions
    return query


# Teams: the fields of the team list.
TEAM_FILTER_FIELDS: dict[str, FilterField] = {
    f.name: f
    for f in (
        FilterField("id", "public_id", "uuid", ("in",), "The team's id."),
        _text("display_name"),
        _text("external_id"),
        FilterField("created_at", "created_at", "datetime", DATETIME_OPERATORS),
        FilterField("updated_at", "updated_at", "datetime", DATETIME_OPERATORS),
    )
}
TEAM_SORT_FIELDS: dict[str, str] = {
    "id": "public_id",
    "display_name": "display_name",
    "external_id": "external_id",
    "member_count": "member_count",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
TEAM_DEFAULT_ORDERING = ("display_name", "pk")
