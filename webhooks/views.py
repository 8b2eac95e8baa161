"""Settings > Webhooks: endpoints, their signing secret (shown once), delivery log. Owners only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import owner_required
from alexis.service_errors import add_service_errors
from webhooks.events import EVENT_TYPES
from webhooks.forms import WebhookEndpointForm
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.selectors import webhook_attempt_log, webhook_endpoint_get, webhook_endpoint_list
from webhooks.services import (
    webhook_delivery_resend,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_disable,
    webhook_endpoint_enable,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
)

LOG_PAGE_SIZE = 50


def _endpoint_or_404(public_id) -> WebhookEndpoint:
    endpoint = webhook_endpoint_get(public_id=public_id)
    if endpoint is None:
        raise Http404("No such webhook endpoint.")
    return endpoint


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, secret: str) -> HttpResponse:
    # The secret lives only in this response: rendered, never redirected to or stored.
    response = render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret})
    add_never_cache_headers(response)
    return response


@owner_required
@require_http_methods(["GET", "HEAD"])
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """List the endpoints with their state."""
    return render(request, "webhooks/list.html", {"endpoints": list(webhook_endpoint_list())})


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("created")
def endpoint_create(request: HttpRequest) -> HttpResponse:
    """Register an endpoint and show its signing secret once."""
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_endpoint_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, created.endpoint, created.secret)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": None})


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Change an endpoint's URL, description or events."""
    endpoint = _endpoint_or_404(public_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The endpoint was saved.")
            return redirect("webhooks:detail", public_id=endpoint.public_id)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint})


@owner_required
@require_http_methods(["GET", "HEAD"])
def endpoint_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Show an endpoint and its delivery log, newest attempt first."""
    endpoint = _endpoint_or_404(public_id)
    log = Paginator(webhook_attempt_log(endpoint=endpoint), LOG_PAGE_SIZE)
    context = {
        "endpoint": endpoint,
        "events": [EVENT_TYPES[name] for name in endpoint.events if name in EVENT_TYPES],
        "page": log.get_page(request.GET.get("page")),
    }
    return render(request, "webhooks/detail.html", context)


@owner_required
@require_POST
def endpoint_state(request: HttpRequest, public_id) -> HttpResponse:
    """Turn deliveries to an endpoint on or off."""
    endpoint = _endpoint_or_404(public_id)
    if request.POST.get("enabled") == "on":
        webhook_endpoint_enable(endpoint=endpoint)
        messages.success(request, "The endpoint is on: new events are delivered to it.")
    else:
        webhook_endpoint_disable(endpoint=endpoint, reason="Turned off by an owner.")
        messages.success(request, "The endpoint is off: nothing is delivered to it.")
    return redirect("webhooks:detail", public_id=endpoint.public_id)


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("secret")
def endpoint_secret_rotate(request: HttpRequest, public_id) -> HttpResponse:
    """Confirm, then replace the signing secret and show the new one once."""
    endpoint = _endpoint_or_404(public_id)
    if request.method == "POST":
        secret = webhook_endpoint_secret_rotate(endpoint=endpoint)
        return _secret_page(request, endpoint, secret)
    return render(request, "webhooks/confirm.html", {"endpoint": endpoint, "action": "rotate"})


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Confirm, then delete an endpoint and its delivery log."""
    endpoint = _endpoint_or_404(public_id)
    if request.method == "POST":
        webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, f"The endpoint {endpoint.url} was deleted.")
        return redirect("webhooks:list")
    return render(request, "webhooks/confirm.html", {"endpoint": endpoint, "action": "delete"})


@owner_required
@require_POST
def delivery_resend(request: HttpRequest, public_id, delivery_id: int) -> HttpResponse:
    """Send one delivery again (after the receiving system was fixed)."""
    endpoint = _endpoint_or_404(public_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, endpoint=endpoint).first()
    if delivery is None:
        raise Http404("No such delivery.")
    webhook_delivery_resend(delivery=delivery)
    messages.success(
        request, f"The {delivery.event_type} event is being sent again; reload to see the result."
    )
    return redirect("webhooks:detail", public_id=endpoint.public_id)
