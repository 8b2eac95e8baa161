"""Django admin for single sign-on: read-only views of its records."""

from django.contrib import admin

from sso.forms import AdminSignInForm
from sso.models import SignInRefusal, SsoConfiguration

# The admin has its own password sign-in; "require single sign-on" must hold there too.
admin.site.login_form = AdminSignInForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the settings page, which validates them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SsoConfiguration)
class SsoConfigurationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "enabled", "require_sso", "idp_entity_id", "updated_at"]


@admin.register(SignInRefusal)
class SignInRefusalAdmin(ReadOnlyAdmin):
    list_display = ["refused_at", "reason", "name_id", "email", "employee", "ip_address"]
    list_filter = ["reason"]
    search_fields = ["name_id", "email"]
    list_select_related = ["employee"]
