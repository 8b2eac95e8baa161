"""The HR dashboard: charts with the numbers behind them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import hr_admin_required
from dashboard.selectors import CACHE_SECONDS, dashboard_figures


@hr_admin_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show headcount, joiners and leavers, departments, locations and provisioning activity."""
    context = {"figures": dashboard_figures(), "cache_seconds": CACHE_SECONDS}
    return render(request, "dashboard/dashboard.html", context)
