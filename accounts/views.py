"""Signing out: a confirmation page for a plain link, and a message once it is done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


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
