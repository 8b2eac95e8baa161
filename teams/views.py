"""HR web app pages for teams: the list and one team with its members and history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import hr_admin_required
from audit.display import history_rows
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
        "history": history_rows(team_history(team=team, limit=HISTORY_LIMIT)),
        "history_limit": HISTORY_LIMIT,
    }
    return render(request, "teams/team_detail.html", context)
