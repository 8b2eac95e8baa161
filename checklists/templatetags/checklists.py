"""Template tags of checklists: Markdown descriptions, due-date wording, the HR home card."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from checklists.models import ChecklistKind
from checklists.selectors import leaves_to_confirm

register = template.Library()

# CommonMark without raw HTML: tags written in a description are shown as text, and
# markdown-it refuses javascript:, vbscript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False})

_ANCHORS = {
    ChecklistKind.ONBOARDING: "the start date",
    ChecklistKind.OFFBOARDING: "the end date",
    ChecklistKind.ROLE_CHANGE: "the day of the change",
}


@register.filter
def markdown(text: str) -> str:
    """Render a task description written in Markdown, safely."""
    return mark_safe(_markdown.render(text or ""))  # noqa: S308 (raw HTML is disabled)


@register.simple_tag
def due_rule(offset_days: int, kind: str) -> str:
    """Say when a task is due: "10 days before the start date", "on the end date"."""
    anchor = _ANCHORS.get(kind, "the date")
    if offset_days == 0:
        return f"On {anchor}"
    days = abs(offset_days)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} {'before' if offset_days < 0 else 'after'} {anchor}"


@register.filter
def is_overdue(due_date: dt.date, today: dt.date) -> bool:
    return due_date < today


@register.inclusion_tag("checklists/_leaves_to_confirm.html")
def leaves_to_confirm_card():
    """The home page card: offboardings Entra started before HR set an end date."""
    return {"checklists": leaves_to_confirm()}
