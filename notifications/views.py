"""The person's notifications and their notification settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import signed_in_required
from alexis.service_errors import add_service_errors
from notifications.forms import NotificationSettingsForm
from notifications.selectors import notification_list, preferences_for
from notifications.services import notification_mark_read, notification_preferences_set

PAGE_SIZE = 50


@signed_in_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "has_unread": any(n.read_at is None for n in page)},
    )


@signed_in_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:inbox")


@signed_in_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    preferences = preferences_for(user=request.user)
    form = NotificationSettingsForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_set(user=request.user, choices=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
