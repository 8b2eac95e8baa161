"""Django admin building blocks for change histories: the inline table on a record's page
and a read-only list of every entry, with changes shown by label and value."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from alexis.admin_utils import EstimatedCountPaginator
from audit.display import actor_label, change_summary
from audit.models import ChangeRecord
from ui import formats


def history_table(records: Iterable[ChangeRecord], *, full_history_url: str) -> str:
    """Return the inline "Recent changes" table of a record's admin page."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                formats.datetime(record.changed_at),
                record.get_action_display(),
                record.get_channel_display(),
                actor_label(record),
                change_summary(record),
            )
            for record in records
        ),
    )
    return format_html(
        "<table><thead><tr><th>When</th><th>Action</th><th>Channel</th><th>By</th>"
        "<th>Changes</th></tr></thead><tbody>{}</tbody></table>"
        '<p><a href="{}">Full history</a></p>',
        rows,
        full_history_url,
    )


class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only list of a change history: entries are written by services, never here."""

    list_filter = ["action", "channel"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_list_display(self, request):
        subject = self.model.subject_field
        return ["changed_at", subject, "action", "channel", "by", "summary"]

    def get_list_select_related(self, request):
        return [self.model.subject_field, "actor_user", "actor_token"]

    @admin.display(description="By")
    def by(self, obj):
        return actor_label(obj)

    @admin.display(description="Changes")
    def summary(self, obj):
        return change_summary(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return self.get_list_display(request)

    def get_readonly_fields(self, request, obj=None):
        return self.get_list_display(request)
