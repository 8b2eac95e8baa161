"""OpenAPI details that drf-spectacular cannot infer: auth, query parameters, error shapes."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from custom_fields.models import FieldType
from custom_fields.selectors import custom_field_list
from custom_fields.values import MAX_TEXT_LENGTH
from public_api.errors import ErrorSerializer
from public_api.filters import (
    FILTER_FIELDS,
    MAX_IN_VALUES,
    MAX_LIMIT,
    MAX_OFFSET,
    SORT_FIELDS,
    TEAM_FILTER_FIELDS,
    TEAM_SORT_FIELDS,
    FilterField,
    custom_filter_fields,
)
from public_api.serializers import employee_select_fields, team_select_fields

API_PREFIX = "/api/v1/"


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """Describe access tokens as HTTP bearer authentication."""

    target_class = "access_tokens.drf.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An access token created by an owner under Access tokens. "
            "Reading needs the api:read scope, creating and updating need api:write.",
        }


class EnvelopeAutoSchema(AutoSchema):
    """Describe list actions as they answer: one envelope object, not a bare array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


def only_public_api(endpoints, **kwargs):
    """Keep only the public API's endpoints in the schema (preprocessing hook)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def employee_fields_optional(result, generator, request, public):
    """Mark only `id` as always present (`select` narrows responses); close request bodies."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("Employee", "Team"):
        if name in schemas:
            schemas[name]["required"] = ["id"]
    # Request bodies with an unknown or read-only field are refused (400).
    for name in ("EmployeeRequest", "PatchedEmployeeRequest"):
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    return result


_CUSTOM_TYPES = {
    FieldType.TEXT: {"type": "string", "maxLength": MAX_TEXT_LENGTH},
    FieldType.NUMBER: {"type": "number"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.CHOICE: {"type": "string"},
}


def custom_fields_schema(result, generator, request, public):
    """Describe `custom_fields` with the fields owners defined (they change without a deploy).

    The schema served by the app lists them; one generated outside a request (the system
    check, an export on the command line) describes a plain object, read no database.
    """
    if request is None:
        return result
    properties = {}
    definitions = custom_field_list()
    for definition in definitions:
        schema = {**_CUSTOM_TYPES[definition.field_type], "nullable": True}
        if definition.field_type == FieldType.CHOICE:
            schema["enum"] = [*definition.choices, None]
        visibility = definition.get_visibility_display()
        schema["description"] = f"{definition.label} ({visibility}"
        schema["description"] += ", required)." if definition.required else ")."
        properties[definition.name] = schema
    _add_custom_filter_parameters(result, definitions)
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("Employee", "EmployeeRequest", "PatchedEmployeeRequest"):
        target = schemas.get(name, {}).get("properties", {}).get("custom_fields")
        if target is not None:
            target.update(
                {"type": "object", "properties": properties, "additionalProperties": False}
            )
    return result


def _add_custom_filter_parameters(result: dict, definitions: list) -> None:
    """List filter[custom_fields.<name>] (and its operators) on the employee list."""
    fields = custom_filter_fields(definitions)
    parameters = []
    for spec in fields.values():
        base = {**_CUSTOM_TYPES[spec.definition.field_type]}
        if spec.choices:
            base["enum"] = list(spec.choices)
        exact = "equals the value" + (" (case-insensitive)" if spec.kind == "text" else "")
        parameters.append(
            {
                "in": "query",
                "name": f"filter[{spec.name}]",
                "schema": base,
                "description": f"Only employees whose {spec.name} {exact}.",
            }
        )
        for operator in spec.operators:
            schema = {"type": "boolean"} if operator == "isnull" else base
            if operator == "in":
                schema = {"type": "array", "items": base, "minItems": 1, "maxItems": MAX_IN_VALUES}
            parameter = {
                "in": "query",
                "name": f"filter[{spec.name}][{operator}]",
                "schema": schema,
                "description": f"Only employees whose {spec.name} {_OPERATOR_TEXT[operator]}.",
            }
            if operator == "in":
                parameter.update(style="form", explode=False)
            parameters.append(parameter)
    for operation in _employee_list_operations(result):
        operation.setdefault("parameters", []).extend(parameters)


def _employee_list_operations(result: dict) -> list[dict]:
    """The operations that take the employee filters (those listing filter[user_name])."""
    return [
        operation
        for path in result.get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict)
        and any(p.get("name") == "filter[user_name]" for p in operation.get("parameters", []))
    ]


_KIND_TYPES = {
    "text": {"type": "string", "maxLength": 255},
    "choice": OpenApiTypes.STR,
    "uuid": OpenApiTypes.UUID,
    "boolean": OpenApiTypes.BOOL,
    "date": OpenApiTypes.DATE,
    "datetime": OpenApiTypes.DATETIME,
}

_OPERATOR_TEXT = {
    "contains": "contains the value (case-insensitive)",
    "startswith": "starts with the value (case-insensitive)",
    "in": f"equals one of these comma-separated values (at most {MAX_IN_VALUES})",
    "gt": "is after the value",
    "gte": "is on or after the value",
    "lt": "is before the value",
    "lte": "is on or before the value",
    "isnull": "is empty (true) or set (false)",
}


def filter_parameters(
    fields: dict[str, FilterField] = FILTER_FIELDS, noun: str = "employees"
) -> list[OpenApiParameter]:
    """Return one documented query parameter per filterable field and operator."""
    parameters = []
    for spec in fields.values():
        kind_type = _KIND_TYPES[spec.kind]
        enum = spec.choices or None
        exact = "equals the value" + (" (case-insensitive)" if spec.kind == "text" else "")
        parameters.append(
            OpenApiParameter(
                f"filter[{spec.name}]",
                kind_type,
                description=f"Only {noun} whose {spec.name} {exact}.",
                enum=enum,
            )
        )
        for operator in spec.operators:
            explode = None
            if operator == "in":
                item = (
                    dict(kind_type) if isinstance(kind_type, dict) else build_basic_type(kind_type)
                )
                if enum:
                    item["enum"] = list(enum)
                parameter_type = {
                    "type": "array",
                    "items": item,
                    "minItems": 1,
                    "maxItems": MAX_IN_VALUES,
                }
                explode = False
            elif operator == "isnull":
                parameter_type = OpenApiTypes.BOOL
            else:
                parameter_type = kind_type
            parameters.append(
                OpenApiParameter(
                    f"filter[{spec.name}][{operator}]",
                    parameter_type,
                    description=f"Only {noun} whose {spec.name} {_OPERATOR_TEXT[operator]}.",
                    style="form" if explode is False else None,
                    explode=explode,
                )
            )
    return parameters


def _comma_list(values: list[str], **extra) -> dict:
    return {"type": "array", "items": {"type": "string", "enum": values}, "minItems": 1, **extra}


def select_parameter(fields: list[str], example: str) -> OpenApiParameter:
    """Return the `select` parameter for these fields."""
    return OpenApiParameter(
        "select",
        _comma_list(fields),
        description=f"Comma-separated fields to return, e.g. `{example}`. `id` is always returned.",
        style="form",
        explode=False,
    )


def list_parameters(
    *,
    select: OpenApiParameter,
    sort_fields: dict[str, str],
    filter_fields: dict[str, FilterField],
    noun: str,
    sort_example: str,
    default_sort: str,
) -> list[OpenApiParameter]:
    """Return the documented query parameters of a list: select, sort, limit, offset, filters."""
    return [
        select,
        OpenApiParameter(
            "sort",
            _comma_list(
                [order for name in sort_fields for order in (name, f"-{name}")], uniqueItems=True
            ),
            description="Comma-separated fields to sort by, `-` for descending, e.g. "
            f"`{sort_example}`; each field at most once. Default: {default_sort}.",
            style="form",
            explode=False,
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            description=f"Page size, 1 to {MAX_LIMIT} (default 50).",
        ),
        OpenApiParameter(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            description=f"How many {noun} to skip (default 0).",
        ),
        *filter_parameters(filter_fields, noun),
    ]


SELECT_PARAMETER = select_parameter(employee_select_fields(), "given_name,family_name,manager")
LIST_PARAMETERS = list_parameters(
    select=SELECT_PARAMETER,
    sort_fields=SORT_FIELDS,
    filter_fields=FILTER_FIELDS,
    noun="employees",
    sort_example="-start_date,family_name",
    default_sort="family_name,given_name",
)
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The employee's id."
)

TEAM_SELECT_PARAMETER = select_parameter(team_select_fields(), "display_name,member_count")
TEAM_LIST_PARAMETERS = list_parameters(
    select=TEAM_SELECT_PARAMETER,
    sort_fields=TEAM_SORT_FIELDS,
    filter_fields=TEAM_FILTER_FIELDS,
    noun="teams",
    sort_example="-member_count,display_name",
    default_sort="display_name",
)
TEAM_ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The team's id."
)


def error_responses(*statuses: int, not_found: str = "employee") -> dict[int, OpenApiResponse]:
    """Return documented error responses for these statuses (404 names the `not_found` thing)."""
    descriptions = {
        400: "Invalid body or query parameter; `errors` names each one.",
        401: "No valid access token (sent with WWW-Authenticate).",
        403: "The access token lacks the scope this request needs.",
        404: f"No {not_found} has this id.",
        406: "The Accept header asks for something other than JSON.",
        415: "The body is not JSON.",
        429: "Too many requests for this token; retry after Retry-After seconds.",
    }
    return {
        status: OpenApiResponse(ErrorSerializer, description=descriptions[status])
        for status in statuses
    }
