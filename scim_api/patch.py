"""PATCH requests (RFC 7644 §3.5.2) read into operations on parsed paths, for both resources.

Both adapters read the body the same way here: a non-empty list of operations, each with an
op of add, replace or remove (any letter case), a path parsed by scim2-models, and a value.
A path-less add or replace names its targets in the value's keys (RFC 7644 §3.5.2.1, .3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scim2_models.path import AttrPath, FilterNode, ValuePath

from scim_api.errors import bad_request, invalid_path, invalid_value
from scim_api.filters import parse_path


def ci_get(mapping: Any, name: str, default: Any = None) -> Any:
    """Look a key up case-insensitively (SCIM attribute names are case-insensitive)."""
    if not isinstance(mapping, dict):
        return default
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return default


@dataclass(frozen=True)
class Target:
    """One attribute an operation changes: its parsed path, its value, how it was named."""

    op: str  # "add", "replace" or "remove"
    path: AttrPath | ValuePath
    value: Any
    text: str
    pathless: bool = False

    @property
    def parts(self) -> tuple[AttrPath, FilterNode | None, str | None]:
        """Return (attribute path, value filter, sub-attribute after the filter)."""
        if isinstance(self.path, ValuePath):
            return self.path.attr_path, self.path.val_filter, self.path.sub_attr
        return self.path, None, self.path.sub_attr


def operations(body_operations: Any) -> Iterator[tuple[str, str | None, Any]]:
    """Yield (op, path text, value) of each operation, refusing a malformed one (400)."""
    if not isinstance(body_operations, list) or not body_operations:
        raise bad_request("Operations must be a non-empty list.", "invalidSyntax")
    checked = []
    for operation in body_operations:
        if not isinstance(operation, dict):
            raise bad_request("Each operation must be an object.", "invalidSyntax")
        op = ci_get(operation, "op")
        if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
            raise bad_request(
                "Each operation needs an op of add, replace or remove.", "invalidSyntax"
            )
        path = ci_get(operation, "path")
        if path is not None and not isinstance(path, str):
            raise invalid_path("path must be a string.")
        path = path.strip() if path else None
        checked.append((op.lower(), path or None, ci_get(operation, "value")))
    yield from checked


def targets(op: str, path: str | None, value: Any) -> Iterator[Target]:
    """Yield the targets of one operation; a path-less one names them in its value's keys."""
    if path is not None:
        yield Target(op, parse_path(path), value, path)
        return
    if op == "remove":
        raise bad_request("A remove operation needs a path.", "noTarget")
    if not isinstance(value, dict):
        raise invalid_value("An operation without a path needs an object value.")
    for key, item in value.items():
        if not isinstance(key, str):
            raise invalid_path("Attribute names must be strings.")
        yield Target(op, parse_path(key), item, key, pathless=True)


def schema_named(path: AttrPath | ValuePath, schemas: dict[str, str]) -> str | None:
    """Return the schema URN a whole path names (`urn:...:enterprise:2.0:User`), if any.

    `schemas` maps the lower-case URNs of the schemas Alexis serves to their spelling; a
    schema it does not define is not named here (its attributes are ignored one by one).
    """
    if not isinstance(path, AttrPath) or path.uri is None or path.sub_attr is not None:
        return None
    whole = f"{path.uri}:{path.attr}"
    return schemas.get(whole.lower())
