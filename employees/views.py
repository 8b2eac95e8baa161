"""HR web app pages for employees."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from employees.models import Employee


@login_required
def home(request):
    """Show a start page with the headcount."""
    counts = {
        "active": Employee.objects.filter(deleted_at__isnull=True, active=True).count(),
        "inactive": Employee.objects.filter(deleted_at__isnull=True, active=False).count(),
    }
    return render(request, "employees/home.html", {"counts": counts})
