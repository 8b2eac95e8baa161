"""The answer to a password sign-in while django-axes has locked the account or address out."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return (
        "Too many failed sign-in attempts for this account or from this address. "
        f"Password sign-in is paused: try again in {minutes} minutes."
    )


def _form_with_error(form_class, request: HttpRequest, username: str, message: str):
    form = form_class(request, data={"username": username})
    # Shown as the form's error without validating it (that would try the password again).
    form._errors = ErrorDict({"__all__": form.error_class([message])})
    return form


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """Show the sign-in form (ours, or the admin's) with the lockout message; 429."""
    message = lockout_message()
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    if request.path.startswith(f"/{admin.site.name}/"):
        context = {
            **admin.site.each_context(request),
            "title": "Log in",
            # The admin's sign-in form as configured (single sign-on sets its own).
            "form": _form_with_error(
                admin.site.login_form or AdminAuthenticationForm, request, username, message
            ),
            "next": request.POST.get("next", ""),
        }
        response = render(request, "admin/login.html", context, status=429)
    else:
        context = {
            "form": _form_with_error(
                import_string(settings.SIGN_IN_FORM), request, username, message
            ),
            "next": request.POST.get("next", ""),
        }
        response = render(request, "accounts/sign_in.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
