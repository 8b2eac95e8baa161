"""Settings > Custom fields: owners list, add, change and delete employee fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import owner_required
from custom_fields.forms import CustomFieldForm
from custom_fields.models import CustomField
from custom_fields.selectors import (
    custom_field_get,
    custom_field_list,
    custom_field_value_count,
)
from custom_fields.services import custom_field_create, custom_field_delete, custom_field_update


def _field_or_404(pk: int) -> CustomField:
    field = custom_field_get(pk=pk)
    if field is None:
        raise Http404("No such custom field.")
    return field


@owner_required
def field_list(request: HttpRequest) -> HttpResponse:
    """List the custom fields with their type, whether required, and who sees them."""
    return render(request, "custom_fields/list.html", {"fields": custom_field_list()})


@owner_required
@require_http_methods(["GET", "POST"])
def field_new(request: HttpRequest) -> HttpResponse:
    """Add a custom field."""
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            field = custom_field_create(
                name=data["name"],
                label=data["label"],
                field_type=data["field_type"],
                choices=form.choice_list(),
                required=data["required"],
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            form.put_service_errors(exc)
        else:
            messages.success(request, f"The custom field {field.label} was added.")
            return redirect("custom_fields:list")
    return render(request, "custom_fields/form.html", {"form": form, "field": None})


@owner_required
@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a custom field's label, choices, whether it is required and who sees it."""
    field = _field_or_404(pk)
    form = CustomFieldForm(request.POST or None, instance=field)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            custom_field_update(
                field=field,
                label=data["label"],
                choices=form.choice_list(),
                required=data["required"],
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            form.put_service_errors(exc)
        else:
            messages.success(request, f"Changes to {field.label} were saved.")
            return redirect("custom_fields:list")
    return render(request, "custom_fields/form.html", {"form": form, "field": field})


@owner_required
@require_http_methods(["GET", "POST"])
def field_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a custom field and every employee's value of it."""
    field = _field_or_404(pk)
    if request.method == "POST":
        custom_field_delete(field=field)
        messages.success(request, f"The custom field {field.label} and its values were deleted.")
        return redirect("custom_fields:list")
    context = {"field": field, "value_count": custom_field_value_count(field=field)}
    return render(request, "custom_fields/delete.html", context)
