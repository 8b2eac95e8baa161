"""Signing out (a confirmation page for a plain link, and a message once it is done), and
Settings > Roles from Entra ID (owners map Entra app roles to the HR admin role)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import owner_required
from accounts.forms import EntraRoleMappingForm
from accounts.selectors import entra_role_mapping_get
from accounts.services import entra_role_mapping_update
from alexis.service_errors import add_service_errors


class SignOutView(LogoutView):
    """GET asks "Sign out?"; POST signs out and says so on the sign-in page."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("accounts:sign-in")
        return render(request, "accounts/sign_out.html")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You are signed out. See you soon.")
        return response


@owner_required
@require_http_methods(["GET", "POST"])
def entra_roles_settings(request: HttpRequest) -> HttpResponse:
    """Show and save the Entra role mapping."""
    mapping = entra_role_mapping_get()
    initial = {"enabled": mapping.enabled, "hr_admin_values": "\n".join(mapping.hr_admin_values)}
    form = EntraRoleMappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entra_role_mapping_update(
                enabled=form.cleaned_data["enabled"],
                hr_admin_values=form.value_list(),
                updated_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Roles from Entra ID were saved.")
            return redirect("roles:settings")
    return render(request, "accounts/entra_roles.html", {"form": form, "mapping": mapping})
