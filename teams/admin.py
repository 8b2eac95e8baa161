"""Django admin for teams: read their members and history; changes go through services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from teams.models import Team, TeamChange, TeamMembership
from teams.selectors import team_list_with_counts


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["display_name", "external_id", "member_count", "last_synced_at", "deleted_at"]
    search_fields = ["display_name", "=external_id"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "public_id",
        "display_name",
        "external_id",
        "members_link",
        "version",
        "last_synced_at",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    exclude = ["members"]
    show_full_result_count = False

    def get_queryset(self, request):
        return team_list_with_counts(include_deleted=True)

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description="Members")
    def members_link(self, obj):
        url = reverse("admin:teams_teammembership_changelist") + f"?team__id__exact={obj.pk}"
        return format_html('<a href="{}">Show the members</a>', url)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["team", "employee", "added_at"]
    list_select_related = ["team", "employee"]
    search_fields = ["employee__user_name", "team__display_name"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamChange)
class TeamChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "team", "action", "channel", "actor_user", "actor_token"]
    list_select_related = ["team", "actor_user", "actor_token"]
    list_filter = ["action", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
