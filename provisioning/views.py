"""The owners' provisioning log pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import owner_required
from alexis.service_errors import add_service_errors
from audit.display import history_rows
from provisioning.forms import (
    EventFilterForm,
    ProvisioningSettingsForm,
    format_cursor,
    parse_cursor,
)
from provisioning.models import ProvisioningEvent
from provisioning.selectors import (
    event_list,
    event_page,
    failed_authentication_bursts,
    provisioning_settings,
    provisioning_settings_history,
    summaries,
)
from provisioning.services import provisioning_settings_update

PAGE_SIZE = 50
SETTINGS_HISTORY_LIMIT = 20


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


@owner_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Show and save the provisioning settings, with their change history."""
    form = ProvisioningSettingsForm(request.POST or None, instance=provisioning_settings())
    if request.method == "POST" and form.is_valid():
        try:
            provisioning_settings_update(
                phone_default_region=form.cleaned_data["phone_default_region"],
                updated_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved the provisioning settings.")
            return redirect("provisioning_settings:settings")
    context = {
        "form": form,
        "history": history_rows(provisioning_settings_history(limit=SETTINGS_HISTORY_LIMIT)),
        "history_limit": SETTINGS_HISTORY_LIMIT,
    }
    return render(request, "provisioning/settings.html", context)
