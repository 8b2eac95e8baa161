"""The owners' provisioning log pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.decorators import owner_required
from provisioning.forms import EventFilterForm, format_cursor, parse_cursor
from provisioning.models import ProvisioningEvent
from provisioning.selectors import event_list, event_page, failed_authentication_bursts, summaries

PAGE_SIZE = 50


@owner_required
def event_log(request: HttpRequest) -> HttpResponse:
    """List events newest first with filters, keyset pages, the summaries and auth bursts."""
    form = EventFilterForm(request.GET)
    events, cursor = event_page(
        event_list(**form.selector_filters()),
        before=parse_cursor(request.GET.get("before")),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "events": events,
        "next_cursor": format_cursor(cursor),
        "is_first_page": not request.GET.get("before"),
        "summaries": list(zip(("Last 24 hours", "Last 7 days"), summaries(24, 168), strict=True)),
        "bursts": failed_authentication_bursts(hours=24),
    }
    return render(request, "provisioning/log.html", context)


@owner_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one event: the request, what it did, and the changes old -> new."""
    event = get_object_or_404(ProvisioningEvent.objects.select_related("employee", "token"), pk=pk)
    return render(request, "provisioning/event.html", {"event": event})
