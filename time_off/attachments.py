"""Files attached to time off requests (a doctor's note, a certificate): PDF, PNG or JPEG.

The type is what the bytes say, never the name or what the browser claims: a PDF starts with
`%PDF-`, and Pillow must read a PNG or JPEG. Files go through Django's storage API under a
random name, so nobody can guess one; Alexis serves them only to the people who may see them.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
TOO_LARGE = "The file is larger than 10 MB. Attach a smaller one."
WRONG_TYPE = "This file is not a PDF, PNG or JPEG. Attach one of those."
REQUIRED = "{name} needs an attachment: attach a PDF, PNG or JPEG."
IMAGE_TYPES = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg")}


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str
    name: str


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"attachment": [ValidationError(message, code=code)]})


def _download_name(raw: str, extension: str) -> str:
    """The person's file name, kept to name the download: no path, no control characters."""
    base = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '";').strip()[:200]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'attachment'}{extension}"


def check_upload(upload) -> CheckedFile:
    """Return the upload's bytes and real type, or raise a ValidationError on "attachment"."""
    if upload.size > MAX_BYTES:
        raise _error(TOO_LARGE, "too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _error(TOO_LARGE, "too_large")
    if data.startswith(b"%PDF-"):
        return CheckedFile(data, "application/pdf", ".pdf", _download_name(upload.name, ".pdf"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            image.verify()  # a truncated or corrupt file fails here
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _error(WRONG_TYPE, "invalid_type") from None
    if kind not in IMAGE_TYPES:
        raise _error(WRONG_TYPE, "invalid_type")
    content_type, extension = IMAGE_TYPES[kind]
    return CheckedFile(data, content_type, extension, _download_name(upload.name, extension))


def store(checked: CheckedFile) -> str:
    """Save the file under a random name and return its storage name."""
    name = f"time_off/attachments/{secrets.token_urlsafe(32)}{checked.extension}"
    return default_storage.save(name, ContentFile(checked.data))


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)


def download(request) -> FileResponse:
    """Answer a request's stored file as a download, never shown inline nor cached (404 if gone)."""
    try:
        handle = default_storage.open(request.attachment, "rb")
    except FileNotFoundError:
        raise Http404("No such attachment.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=request.attachment_name or "attachment",
        content_type=request.attachment_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
