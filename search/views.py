"""The results page of the header's search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import hr_admin_required
from search.selectors import global_search


@hr_admin_required
def search(request: HttpRequest) -> HttpResponse:
    """Show people, teams and departments matching ?q=."""
    query = request.GET.get("q", "").strip()[:200]
    return render(request, "search/results.html", {"q": query, "results": global_search(query)})
