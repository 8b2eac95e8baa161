"""Django admin for teams: staff read teams, their members and history; changes go through
services (SCIM or the HR web app), so every page here is read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from audit.admin import ChangeRecordAdmin, history_table
from teams.models import Team, TeamChange, TeamMembership
from teams.selectors import team_history, team_list_with_counts

RECENT_CHANGES = 20


def _can_view_teams(request) -> bool:
    return request.user.is_active and request.user.has_perm("teams.view_team")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Refuse add, change and delete: writes go through teams.services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SourceFilter(admin.SimpleListFilter):
    title = "managed by"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("scim", "SCIM (Entra ID)"), ("hr", "HR")]

    def queryset(self, request, queryset):
        if self.value() in ("scim", "hr"):
            return queryset.filter(last_synced_at__isnull=self.value() == "hr")
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(deleted_at__isnull=self.value() == "no")
        return queryset


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = [
        "display_name",
        "external_id",
        "member_count",
        "members_link",
        "source",
        "last_synced_at",
        "deleted_at",
    ]
    search_fields = ["display_name", "=external_id"]
    list_filter = [SourceFilter, DeletedFilter]
    readonly_fields = [
        "public_id",
        "display_name",
        "external_id",
        "member_count",
        "members_link",
        "source",
        "version",
        "last_synced_at",
        "created_at",
        "updated_at",
        "deleted_at",
        "recent_changes",
    ]
    fields = readonly_fields
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # Member counts are a subquery per row shown, not a join over every membership.
        return team_list_with_counts(include_deleted=True)

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description="Member list")
    def members_link(self, obj):
        url = reverse("admin:teams_teammembership_changelist") + f"?team__id__exact={obj.pk}"
        return format_html('<a href="{}">Show the members</a>', url)

    @admin.display(description="Managed by", ordering="last_synced_at")
    def source(self, obj):
        return "SCIM" if obj.last_synced_at else "HR"

    @admin.display(description="Recent changes")
    def recent_changes(self, obj):
        url = reverse("admin:teams_teamchange_changelist") + f"?team__id__exact={obj.pk}"
        return history_table(team_history(team=obj, limit=RECENT_CHANGES), full_history_url=url)


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyAdmin):
    list_display = ["team", "employee", "employee_user_name", "added_at"]
    list_select_related = ["team", "employee"]
    search_fields = ["employee__user_name", "employee__family_name", "team__display_name"]
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description="User name", ordering="employee__user_name")
    def employee_user_name(self, obj):
        return obj.employee.user_name

    def has_view_permission(self, request, obj=None):
        # Whoever may see teams may see who is in them.
        return _can_view_teams(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(TeamChange)
class TeamChangeAdmin(ChangeRecordAdmin):
    search_fields = ["team__display_name"]

    def has_view_permission(self, request, obj=None):
        return _can_view_teams(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
