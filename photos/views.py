"""Serve employee photos to signed-in people (changing them is self-service's, with its rules)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from accounts.decorators import signed_in_required
from employees.selectors import employee_get
from photos.images import SIZES
from photos.services import photo_path


def _employee(public_id):
    employee = employee_get(public_id=public_id)
    if employee is None:
        raise Http404("No such employee.")
    return employee


@signed_in_required
@require_GET
def photo(request: HttpRequest, public_id, size: int) -> FileResponse:
    """Return one size of a photo; its URL names the version, so browsers keep it for good."""
    if size not in SIZES:
        raise Http404("No such size.")
    employee = _employee(public_id)
    if not employee.photo_version:
        raise Http404("No photo.")
    try:
        file = default_storage.open(photo_path(employee, size))
    except FileNotFoundError:
        raise Http404("No photo.") from None
    response = FileResponse(file, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
