"""HR web app pages for teams: the list and one team with its members and history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import hr_admin_required
from teams.models import TeamChange
from teams.selectors import (
    team_get,
    team_history,
    team_member_counts,
    team_members,
    team_queryset,
)

TEAMS_PAGE_SIZE = 50
MEMBERS_PAGE_SIZE = 50
HISTORY_LIMIT = 50


FIELD_LABELS = {
    "display_name": "Display name",
    "external_id": "External id",
    "members_added": "Members added",
    "members_removed": "Members removed",
}


def _history_rows(changes: Iterable[TeamChange]) -> list[dict[str, Any]]:
    """Turn history entries into rows: field changes as old/new, member changes as counts."""
    rows = []
    for change in changes:
        fields = []
        for name, value in sorted(change.changes.items()):
            label = FIELD_LABELS.get(name, name)
            if isinstance(value, dict):
                names = list(value.get("user_names", []))
                count = value.get("count", len(names))
                fields.append(
                    {
                        "label": label,
                        "members": True,
                        "count": count,
                        "names": names,
                        "more": count > len(names),
                    }
                )
            elif isinstance(value, list | tuple) and len(value) == 2:
                fields.append({"label": label, "old": value[0], "new": value[1]})
        rows.append({"change": change, "fields": fields})
    return rows


@hr_admin_required
def team_list(request: HttpRequest) -> HttpResponse:
    """List teams by name with their member counts, a page at a time."""
    teams = Paginator(team_queryset().order_by("display_name", "id"), TEAMS_PAGE_SIZE)
    page = teams.get_page(request.GET.get("page"))
    # Members are counted for the page shown only, in one query.
    page.object_list = team_member_counts(list(page.object_list))
    return render(request, "teams/team_list.html", {"page": page})


@hr_admin_required
def team_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show a team: where it comes from, its members a page at a time and its change history."""
    team = team_get(public_id=public_id)
    if team is None:
        raise Http404("No such team.")
    members = Paginator(team_members(team=team), MEMBERS_PAGE_SIZE)
    context = {
        "team": team,
        "page": members.get_page(request.GET.get("page")),
        "history": _history_rows(team_history(team=team, limit=HISTORY_LIMIT)),
        "history_limit": HISTORY_LIMIT,
    }
    return render(request, "teams/team_detail.html", context)
