"""The API guide (docs/public-api.md) as a page of the app, linked from the Swagger UI page."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

GUIDE = Path(settings.BASE_DIR) / "docs" / "public-api.md"


@functools.cache
def _guide_html() -> str:
    # CommonMark with tables; raw HTML in the Markdown is escaped, never passed through.
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    return markdown.render(GUIDE.read_text(encoding="utf-8"))


def api_guide(request: HttpRequest) -> HttpResponse:
    """Show the public API guide; public like the schema and the Swagger UI page."""
    return render(request, "public_api/guide.html", {"guide": mark_safe(_guide_html())})  # noqa: S308
