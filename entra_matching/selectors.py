"""The matching report: how each Entra user will meet the employees in Alexis.

Entra looks a user up by `userName` (`filter=userName eq "<UPN>"`), which Alexis compares
regardless of letter case, and creates a new user when nothing matches. So an Entra user
matches an employee only on the user name; an email, employee id or object id in common
without the same user name means Entra will create a second record for the same person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from employees.models import Employee
from entra_matching.models import EntraUserList

# Each list on the page shows at most this many entries, then a count of the rest.
SHOWN = 200


@dataclass
class Candidate:
    employee: dict[str, Any]
    reasons: list[str]


@dataclass
class EntraEntry:
    index: int
    user: dict[str, Any]
    employee: dict[str, Any] | None = None
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""


@dataclass
class MatchingReport:
    matched: list[EntraEntry] = field(default_factory=list)
    letter_case: list[EntraEntry] = field(default_factory=list)
    duplicates: list[EntraEntry] = field(default_factory=list)
    several: list[EntraEntry] = field(default_factory=list)
    created: list[EntraEntry] = field(default_factory=list)
    hr_only: list[dict[str, Any]] = field(default_factory=list)
    no_longer_sent: list[dict[str, Any]] = field(default_factory=list)
    never_provisioned: list[EntraEntry] = field(default_factory=list)
    provisioning_started: bool = False
    repeated_upns: list[str] = field(default_factory=list)

    @property
    def risky_count(self) -> int:
        return len(self.letter_case) + len(self.duplicates) + len(self.several)


EMPLOYEE_FIELDS = (
    "pk",
    "public_id",
    "user_name",
    "given_name",
    "family_name",
    "work_email",
    "employee_number",
    "external_id",
    "active",
    "last_synced_at",
)


def entra_user_list_latest() -> EntraUserList | None:
    return EntraUserList.objects.first()


def entra_user_list_get(public_id) -> EntraUserList | None:
    return EntraUserList.objects.filter(public_id=public_id).first()


def _employees() -> Iterable[dict[str, Any]]:
    return (
        Employee.objects.filter(deleted_at__isnull=True)
        .values(*EMPLOYEE_FIELDS)
        .order_by("family_name", "given_name", "id")
        .iterator(chunk_size=5000)
    )


def matching_report(users: list[dict[str, Any]]) -> MatchingReport:
    """Compare Entra's users with every current employee (one query)."""
    report = MatchingReport()
    employees = list(_employees())
    by_name: dict[str, dict] = {}
    by_email: dict[str, list[dict]] = {}
    by_number: dict[str, list[dict]] = {}
    by_external: dict[str, list[dict]] = {}
    for employee in employees:
        by_name[employee["user_name"].lower()] = employee
        if employee["work_email"]:
            by_email.setdefault(employee["work_email"].lower(), []).append(employee)
        if employee["employee_number"]:
            by_number.setdefault(employee["employee_number"], []).append(employee)
        if employee["external_id"]:
            by_external.setdefault(employee["external_id"], []).append(employee)
        if employee["last_synced_at"] is not None:
            report.provisioning_started = True
    reached: set[int] = set()
    seen_upns: set[str] = set()
    # An employee whose user name is some Entra user's UPN is matched by that user, not a
    # duplicate of another.
    all_upns = {user["upn"].lower() for user in users}
    for index, user in enumerate(users):
        upn = user["upn"]
        if upn.lower() in seen_upns:
            report.repeated_upns.append(upn)
            continue
        seen_upns.add(upn.lower())
        entry = EntraEntry(index=index, user=user)
        employee = by_name.get(upn.lower())
        if employee is not None:
            reached.add(employee["pk"])
            entry.employee = employee
            if employee["user_name"] != upn:
                report.letter_case.append(entry)
            else:
                report.matched.append(entry)
            if report.provisioning_started and employee["last_synced_at"] is None:
                report.never_provisioned.append(entry)
            continue
        found: list[tuple[dict, str]] = []
        for address in sorted({user.get("mail", "").lower(), upn.lower()} - {""}):
            found += [(e, f"email {address}") for e in by_email.get(address, [])]
        if user.get("employee_id"):
            reason = f"employee id {user['employee_id']}"
            found += [(e, reason) for e in by_number.get(user["employee_id"], [])]
        if user.get("object_id"):
            found += [(e, "object id (externalId)") for e in by_external.get(user["object_id"], [])]
        candidates: dict[int, Candidate] = {}
        for candidate, reason in found:
            if candidate["user_name"].lower() in all_upns:
                continue  # matched by its own Entra user
            candidates.setdefault(candidate["pk"], Candidate(candidate, [])).reasons.append(reason)
        entry.candidates = list(candidates.values())
        for candidate in entry.candidates:
            reached.add(candidate.employee["pk"])
        if len(entry.candidates) == 1:
            report.duplicates.append(entry)
        elif entry.candidates:
            report.several.append(entry)
        else:
            report.created.append(entry)
    for employee in employees:
        if employee["pk"] in reached:
            continue
        if employee["last_synced_at"] is not None:
            report.no_longer_sent.append(employee)
        else:
            report.hr_only.append(employee)
    return report
