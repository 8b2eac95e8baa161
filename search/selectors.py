"""One search box for people, teams and departments."""

from __future__ import annotations

from dataclasses import dataclass, field

from employees.models import Employee
from employees.selectors import employee_directory, employee_filter_options, employee_team_options

LIMIT = 10


@dataclass
class Results:
    people: list[Employee] = field(default_factory=list)
    more_people: bool = False
    teams: list[tuple[str, str]] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.people or self.teams or self.departments)


def global_search(query: str) -> Results:
    """Return up to ten people (the directory's search), and the teams and departments whose
    names contain every word (from the cached filter lists: no scan of the tables)."""
    query = query.strip()[:200]
    if not query:
        return Results()
    people = list(employee_directory(search=query)[: LIMIT + 1])
    words = query.casefold().split()

    def matches(name: str) -> bool:
        folded = name.casefold()
        return all(word in folded for word in words)

    return Results(
        people=people[:LIMIT],
        more_people=len(people) > LIMIT,
        teams=[(pk, name) for pk, name in employee_team_options() if matches(name)][:LIMIT],
        departments=[d for d in employee_filter_options()["department"] if matches(d)][:LIMIT],
    )
