"""Turn an uploaded picture into square JPEG crops of a few sizes, with no metadata kept.

Pillow reads the file (so the type is what the bytes say, not the name or the browser),
turns it upright by its EXIF orientation, crops the centre square and re-encodes each size
from pixels only: EXIF, GPS and every other metadata stay behind.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

SIZES = (48, 128, 320)  # avatars in lists, the org chart, the profile header
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MIN_SIDE = 64


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"photo": [ValidationError(message, code=code)]})


def open_upload(upload) -> Image.Image:
    """Return the upload as an upright RGB image, or raise a ValidationError on "photo"."""
    if upload.size > MAX_BYTES:
        raise _error("The photo is larger than 5 MB. Choose a smaller one.", "too_large")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            kind = probe.format
            if kind not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError(kind)
            if probe.width * probe.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            probe.verify()  # a truncated or corrupt file fails here
            image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _error(
            "This file is not a photo Alexis can read: upload a JPEG, PNG or WebP image.",
            "invalid_type",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error("The photo has too many pixels. Choose a smaller one.", "too_large") from None
    image = ImageOps.exif_transpose(image)
    if min(image.size) < MIN_SIDE:
        raise _error(f"The photo is too small: at least {MIN_SIDE} pixels wide and high.", "small")
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def square_crops(image: Image.Image) -> dict[int, bytes]:
    """Return {size: JPEG bytes} of the centre square, without any metadata."""
    side = min(image.size)
    square = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
    crops = {}
    for size in SIZES:
        resized = square.resize((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # A fresh image of pixels only: no exif=, no icc_profile=, no comments carried over.
        Image.frombytes("RGB", resized.size, resized.tobytes()).save(
            out, "JPEG", quality=85, optimize=True, progressive=True
        )
        crops[size] = out.getvalue()
    return crops
