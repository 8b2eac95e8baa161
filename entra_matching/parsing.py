"""Reading Entra's user list: the admin center's "Download users" CSV, or pasted names."""

from __future__ import annotations

import csv
import io
import re

from django.core.exceptions import ValidationError

MAX_USERS = 200_000
# Entra's CSV headers (normalised: lower case, letters and digits) -> what Alexis keeps.
# "Download users" writes camelCase names (userPrincipalName, mail, employeeId, displayName,
# accountEnabled, id); older downloads wrote labels ("User principal name", "Object Id").
HEADERS = {
    "userprincipalname": "upn",
    "mail": "mail",
    "email": "mail",
    "employeeid": "employee_id",
    "displayname": "display_name",
    "name": "display_name",
    "accountenabled": "enabled",
    "blocksignin": "blocked",
    "id": "object_id",
    "objectid": "object_id",
}
FIELDS = ("upn", "mail", "employee_id", "display_name", "enabled", "object_id")


def _normalise(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", header.lower())


def _enabled(text: str, blocked: str) -> bool:
    if blocked:
        return blocked.strip().lower() not in ("yes", "true", "1")
    return text.strip().lower() not in ("false", "no", "0")


def parse_entra_csv(content: bytes) -> list[dict]:
    """Return the users of Entra's "Download users" CSV; refuse a file without their UPNs."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The file is not UTF-8 text: download it from Entra again."}
        ) from None
    rows = csv.reader(io.StringIO(text))
    columns: dict[int, str] | None = None
    users: list[dict] = []
    for values in rows:
        if columns is None:
            found = {
                i: HEADERS[_normalise(v)] for i, v in enumerate(values) if _normalise(v) in HEADERS
            }
            if "upn" in found.values():
                columns = found
            continue
        row = {key: (values[i].strip() if i < len(values) else "") for i, key in columns.items()}
        if not row.get("upn"):
            continue
        users.append(
            {
                "upn": row["upn"],
                "mail": row.get("mail", ""),
                "employee_id": row.get("employee_id", ""),
                "display_name": row.get("display_name", ""),
                "enabled": _enabled(row.get("enabled", ""), row.get("blocked", "")),
                "object_id": row.get("object_id", ""),
            }
        )
        if len(users) > MAX_USERS:
            raise ValidationError({"file": f"The file has more than {MAX_USERS:,} users."})
    if columns is None:
        raise ValidationError(
            {"file": "No userPrincipalName column: upload the CSV from Entra's “Download users”."}
        )
    if not users:
        raise ValidationError({"file": "The file lists no users."})
    return users


def parse_pasted(text: str) -> list[dict]:
    """Return users from pasted user principal names (one a line, or separated by commas)."""
    names = [name for name in re.split(r"[\s,;]+", text) if name]
    if not names:
        raise ValidationError({"pasted": "Paste at least one user principal name."})
    if len(names) > MAX_USERS:
        raise ValidationError({"pasted": f"Paste at most {MAX_USERS:,} names."})
    bad = [name for name in names if "@" not in name]
    if bad:
        raise ValidationError({"pasted": f"Not a user principal name: {', '.join(bad[:5])}."})
    return [
        {
            "upn": name,
            "mail": "",
            "employee_id": "",
            "display_name": "",
            "enabled": True,
            "object_id": "",
        }
        for name in names
    ]
