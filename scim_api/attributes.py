"""What a SCIM attribute is to Alexis: one catalogue entry, read by everything.

Filters and sorting (filters.py, listing.py), PATCH paths and full resources (users.py,
groups.py), error details and /Schemas (discovery.py) all look attributes up in a
`Catalogue` of `Attribute` entries; the entries themselves are in catalogue.py. Adding an
attribute is one entry plus its model field.

An entry names a SCIM attribute (`name`, optional `sub`, its `schema`), the model field that
holds it, how filters compare it (`kind`), the RFC 7643 §7 characteristics published in
/Schemas and enforced on writes, and how a value is parsed (`parse`: SCIM value -> model
value, raising a SCIM error that names `label`) and formatted (`format`: model -> SCIM).

Extension point (custom fields, roles): `catalogue.user_catalogue(request)` adds to the
built-in entries what every registered provider yields. A provider is a function
`provider(request) -> Iterable[Attribute | Schema]` registered with
`catalogue.register_user_attributes(provider)` (typically in an AppConfig.ready()). It may
read the database: the catalogue is built once per request and kept on it (`request` is None
outside a request, e.g. in tests calling filters directly). A provider's `Schema` entries
add extension schemas to /Schemas and /ResourceTypes; its attributes name their schema
(an extension, or the core schema for `roles`). Such attributes then filter, sort, patch,
read, write and appear in /Schemas like built-in ones:
- `field` is the key staged and passed to employees.services in `data` (services must
  accept it); `orm` is the ORM path filters and sorting use (a JSONField key lookup such as
  `custom_fields__badgeColor`); `read(employee)` returns the model value when it is not a
  plain attribute of the employee.
- An attribute whose writes need more than a field (`roles` granting HR admin) gives
  `stage`: `stage(adapter, parsed_value)` is called instead of staging `field`, with
  `adapter.staged` (the data for the service) and `adapter.obj` (the employee) at hand;
  None is a removal.
- `compare(attribute, op, value, label) -> Q` builds a filter comparison ("pr" included)
  for a value the built-in kinds cannot compare (a JSON key holding a number or a date).
- `patch(adapter, op, value_filter, sub, value)` reads a PATCH operation on the attribute
  itself, when add, replace and remove mean more than staging one value (`roles`: add
  merges, replace sets, `roles[primary eq "True"].value` names an element).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from scim2_models import EnterpriseUser, Group, User

from scim_api.values import parse_string

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
# Alexis's own extension of the User: the start and end dates, and owners' custom fields.
ALEXIS_USER = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"

# ---------------------------------------------------------------------------------------------
# The catalogue entry


@dataclass(frozen=True)
class Attribute:
    """One SCIM attribute or sub-attribute and where Alexis keeps it (RFC 7643 §2, §7)."""

    name: str
    sub: str | None = None
    schema: str = CORE_USER
    type: str = "string"  # RFC 7643 §2.3: string, boolean, dateTime, reference, complex...
    description: str = ""
    # The model field staged and passed to the service ("" when nothing is stored).
    field: str = ""
    # The ORM path that filters and sorting use; defaults to `field`.
    orm: str = ""
    # How filters compare it: "ci" text (LOWER, served by indexes), "exact" text, "bool",
    # "datetime", "date" (a date field compared with a date or a dateTime's written date),
    # "uuid", "const" (a fixed `constant`), "" (not filterable).
    kind: str = "ci"
    mutability: str = "readWrite"
    case_exact: bool = False
    uniqueness: str = "none"
    required: bool = False
    returned: str = "default"
    multi_valued: bool = False
    # A multi-valued attribute of which Alexis keeps one element: that element's `type`.
    element_type: str | None = None
    constant: Any = None
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    parse: Callable[[Any, Attribute], Any] = parse_string
    format: Callable[[Any], Any] | None = None
    read: Callable[[Any], Any] | None = None
    stage: Callable[[Any, Any], None] | None = None
    compare: Callable[..., Any] | None = None
    patch: Callable[..., None] | None = None
    # The value staged when a full resource leaves the attribute out or a PATCH removes it.
    default: Any = None
    # Left as it is when a PUT leaves the attribute out (instead of taking `default`).
    keep_when_absent: bool = False
    # How a filter's operand is read before it is compared (a phone number to E.164).
    operand: Callable[[str], str] | None = None
    # Common attributes (meta.*) are filterable but not part of a schema's attribute list.
    listed: bool = True
    sortable: bool = True

    @property
    def orm_path(self) -> str:
        return self.orm or self.field

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.schema.lower(), self.name.lower(), self.sub.lower() if self.sub else None)

    @property
    def label(self) -> str:
        """The SCIM path named in error details (emails[type eq "work"].value)."""
        head = self.name
        if self.element_type and self.sub:
            head = f'{self.name}[type eq "{self.element_type}"]'
        path = f"{head}.{self.sub}" if self.sub else head
        return path if self.schema in (CORE_USER, CORE_GROUP) else f"{self.schema}:{path}"

    @property
    def writable(self) -> bool:
        return self.mutability in ("readWrite", "writeOnly", "immutable")

    def __post_init__(self) -> None:
        # Chosen once: a resource is written out attribute by attribute, page after page.
        if self.read is not None:
            read = self.read
        elif self.constant is not None or not self.field:
            constant = self.constant
            read = lambda obj: constant  # noqa: E731
        else:
            read = attrgetter(self.field)
        formatter = self.format
        if formatter is None:
            output = read
        else:

            def output(obj: Any) -> Any:
                value = read(obj)
                return None if value is None else formatter(value)

        # value_of(obj): the model value of this attribute on `obj`; output(obj): its SCIM
        # value (None or "" when absent).
        object.__setattr__(self, "value_of", read)
        object.__setattr__(self, "output", output)


@dataclass(frozen=True)
class Schema:
    """A schema served in /Schemas (RFC 7643 §7); extensions also appear in /ResourceTypes."""

    id: str
    name: str
    description: str
    extension: bool = True
    # An attribute of this schema that is not (or no longer) defined is ignored like one of an
    # unknown extension, not refused: owners add and delete custom fields at any time.
    open: bool = False


@dataclass
class Catalogue:
    """The attributes of one resource type, looked up by (schema, name, sub) case-insensitively."""

    core: str
    schemas: list[Schema]
    attributes: list[Attribute]
    by_key: dict[tuple[str, str, str | None], Attribute] = field(default_factory=dict)
    # Filters' attribute paths resolved so far (filters.py): (path, parent) -> (entry, label).
    filter_targets: dict[tuple[Any, Any], tuple[Attribute, str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.by_key = {a.key: a for a in self.attributes}
        self.extension_ids = {s.id.lower(): s.id for s in self.schemas if s.extension}
        # Read for every resource written out: grouped once, not searched each time.
        self._subs: dict[tuple[str, str], list[Attribute]] = {}
        self._top: dict[str, list[Attribute]] = {}
        for a in self.attributes:
            if a.sub is None:
                self._top.setdefault(a.schema, []).append(a)
            else:
                self._subs.setdefault((a.schema, a.name), []).append(a)
        # What a resource returns by default, in order: (attribute, the container it goes in
        # (None: the core schema), its sub-attributes read from the model, whether a $ref is
        # built from its value).
        self.returned = [
            (
                a,
                None if a.schema == self.core else a.schema,
                [s for s in self._subs.get((a.schema, a.name), []) if s.type != "reference"],
                any(s.type == "reference" for s in self._subs.get((a.schema, a.name), [])),
            )
            for a in self.attributes
            if a.sub is None and a.listed and a.returned != "never"
        ]

    def schema_of(self, uri: str | None, name: str) -> str | None:
        """Return the schema an attribute path refers to, or None when no schema is known.

        Without a URN a name is looked up in the core schema, then in the extensions (Entra
        writes `department` for the enterprise one).
        """
        if uri is None:
            if (self.core.lower(), name.lower(), None) in self.by_key:
                return self.core
            for ext in self.extension_ids.values():
                if (ext.lower(), name.lower(), None) in self.by_key:
                    return ext
            return self.core
        lowered = uri.lower()
        if lowered == self.core.lower():
            return self.core
        return self.extension_ids.get(lowered)

    def get(self, uri: str | None, name: str, sub: str | None = None) -> Attribute | None:
        schema = self.schema_of(uri, name)
        if schema is None:
            return None
        return self.by_key.get((schema.lower(), name.lower(), sub.lower() if sub else None))

    def subs(self, parent: Attribute) -> list[Attribute]:
        """Return the sub-attributes of a complex attribute, in catalogue order."""
        return self._subs.get((parent.schema, parent.name), [])

    def top_level(self, schema: str) -> list[Attribute]:
        """Return the attributes of a schema that are not sub-attributes, in catalogue order."""
        return self._top.get(schema, [])

    def field_label(self, model_field: str) -> str | None:
        """Return the SCIM attribute naming a model field in error details."""
        for attribute in self.attributes:
            if attribute.field == model_field and attribute.writable:
                return attribute.label
        return None


# ---------------------------------------------------------------------------------------------
# What RFC 7643 defines (from scim2-models), for attributes Alexis accepts and does not keep


def _aliases(model) -> dict[str, Any]:
    return {
        (f.serialization_alias or f.alias or n).lower(): f for n, f in model.model_fields.items()
    }


_RFC_SCHEMAS = {
    CORE_USER.lower(): User,
    ENTERPRISE_USER.lower(): EnterpriseUser,
    CORE_GROUP.lower(): Group,
}


def rfc_defines(schema: str, name: str, sub: str | None = None) -> bool:
    """Whether RFC 7643 defines the attribute in a core or enterprise schema (nickName...)."""
    model = _RFC_SCHEMAS.get(schema.lower())
    if model is None:
        return False
    found = _aliases(model).get(name.lower())
    if found is None:
        return False
    if sub is None:
        return True
    annotation = found.annotation
    for inner in getattr(annotation, "__args__", (annotation,)):
        inner = getattr(inner, "__args__", (inner,))[0]
        if hasattr(inner, "model_fields") and sub.lower() in _aliases(inner):
            return True
    return False
