"""Template tags for single sign-on."""

from django import template

from sso.selectors import sso_configuration_get

register = template.Library()


@register.inclusion_tag("sso/sign_in_button.html")
def sso_sign_in_button(next_path: str = ""):
    """Render "Sign in with Microsoft" when single sign-on is on."""
    configuration = sso_configuration_get()
    return {
        "show": configuration.is_active,
        "required": configuration.is_active and configuration.require_sso,
        "next": next_path,
    }
