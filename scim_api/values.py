"""How SCIM values are read into employee fields and written back (the catalogue's parse,
format, read and stage functions)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from provisioning.selectors import provisioning_settings
from scim_api.errors import invalid_value

if TYPE_CHECKING:
    from scim_api.attributes import Attribute


def parse_string(value: Any, attribute: Attribute) -> str:
    """Return a text value ("" for null); refuse other JSON types, NUL and a missing required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid_value(f"{attribute.label} must be a string.")
    if "\x00" in value:
        raise invalid_value(f"{attribute.label} must not contain NUL characters.")
    if attribute.required and not value:
        raise invalid_value(f"{attribute.label} is required.")
    return value


def parse_boolean(value: Any, attribute: Attribute) -> bool | None:
    """Return true or false, also from Entra's "True"/"False" strings; null stays None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{attribute.label} must be true or false.")


def parse_date(value: Any, attribute: Attribute) -> dt.date | None:
    """Return the calendar date of a date (2027-01-04) or a dateTime (2027-01-04T00:00:00Z,
    Entra's employeeHireDate); null stays None.

    A dateTime keeps the date as written: its time of day and offset are ignored, so that
    Entra's midnight UTC is that day wherever the employee works.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str) and "\x00" not in value:
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            if parse_datetime(text) is not None:
                return dt.date.fromisoformat(text[:10])
        except ValueError:  # well formed but impossible, such as month 13
            pass
    raise invalid_value(
        f"{attribute.label} must be a date (2027-01-04) or a dateTime (2027-01-04T00:00:00Z)."
    )


def format_date(value: dt.date) -> str:
    """Answer a date as a SCIM dateTime at midnight UTC (RFC 7643 §2.3.5 has no date type)."""
    return f"{value.isoformat()}T00:00:00Z"


def phone_region() -> str | None:
    """Return the region an owner set for phone numbers without a country code (Settings >
    Provisioning; SCIM_PHONE_DEFAULT_REGION until an owner saves one), or None."""
    return provisioning_settings().phone_default_region or None


def parse_phone(value: Any, attribute: Attribute) -> tuple[str, str]:
    """Return (E.164 form, the value as sent) of a phone number in any spelling phonenumbers
    reads as valid (+1 617 555 1212, +1-617-555-1212, tel:+1-617-555-1212).

    A number without a country code is refused unless a default region is set; a value
    phonenumbers cannot read is passed on unchanged for the employee's validator to refuse
    with its own message.
    """
    text = parse_string(value, attribute)
    e164 = phone_operand(text) if text else ""
    return e164, "" if text == e164 else text


def phone_operand(value: str) -> str:
    """Return a phone number a filter compares in E.164 form, when it reads as one."""
    spelled = value[4:] if value[:4].lower() == "tel:" else value
    try:
        number = phonenumbers.parse(spelled, phone_region())
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_uuid(value: Any) -> str | None:
    return str(value) if value is not None else None


def scim_datetime(value: dt.datetime) -> str:
    """Format a timestamp as RFC 3339 in UTC with milliseconds (2026-01-31T12:00:00.000Z)."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def manager_display(manager: Any) -> str | None:
    if manager is None:
        return None
    return manager.display_name or manager.full_name or manager.user_name


def phone_as_sent(employee: Any) -> str:
    """The work phone as the client sent it, while it is still the number Alexis holds."""
    sent = employee.work_phone_as_sent
    if sent and employee.work_phone and phone_operand(sent) == employee.work_phone:
        return sent
    return employee.work_phone


def stage_active(adapter: Any, value: bool | None) -> None:
    """Stage `active`; removed (None), the employee is inactive and `active` unstated."""
    adapter.staged["active"] = bool(value)
    adapter.staged["active_stated"] = value is not None


def stage_phone(adapter: Any, value: tuple[str, str]) -> None:
    """Stage the work phone in E.164 form and, when it differs, the spelling sent."""
    adapter.staged["work_phone"], adapter.staged["work_phone_as_sent"] = value


def parse_manager(value: Any, attribute: Attribute) -> Any:
    """Return the manager named by a SCIM id in any shape Entra sends, or None to clear."""
    from employees.models import Employee
    from employees.selectors import employee_if_live
    from scim_api.patch import ci_get

    if isinstance(value, list):
        if len(value) > 1:
            raise invalid_value("manager takes a single value.")
        value = value[0] if value else None
    if isinstance(value, dict):
        value = ci_get(value, "value")
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise invalid_value("manager must be the id of an existing user.")
    try:
        key = uuid.UUID(value)
    except ValueError:
        key = None
    manager = None
    if key is not None:
        # See employee_if_live for why deleted rows are left out afterwards.
        found = Employee.objects.filter(public_id=key).order_by()
        manager = employee_if_live(next(iter(found[:1]), None))
    if manager is None:
        raise invalid_value(f"manager: no user with id {value!r} exists.")
    return manager


def org_record_parser(kind_slug: str) -> Callable[[Any, Attribute], Any]:
    """Return a parse function resolving a name to a department, legal entity or location.

    The name (or an old name kept after a merge) matches trimmed and case-insensitively; an
    unknown one creates the record marked "created by provisioning", or, when owners turned
    that off, is refused naming the attribute (RFC 7644 §3.12 invalidValue).
    """

    def parse(value: Any, attribute: Attribute) -> Any:
        from audit.actor import Actor
        from audit.models import Channel
        from organisation.kinds import BY_SLUG
        from organisation.services import ProvisioningRefused, org_record_resolve

        kind = BY_SLUG[kind_slug]
        name = parse_string(value, attribute)
        try:
            return org_record_resolve(kind=kind, name=name, actor=Actor(channel=Channel.SCIM))
        except ProvisioningRefused:
            raise invalid_value(
                f"{attribute.label} “{name.strip()}” matches no {kind.singular} in Alexis, and "
                f"owners have turned off creating {kind.plural} from provisioning."
            ) from None
        except ValidationError as exc:
            raise invalid_value(f"{attribute.label}: {' '.join(exc.messages)}") from None

    return parse
