"""Template tags for the provisioning log: the health card other pages (the home page) show."""

from django import template

from provisioning.selectors import failures_since, last_successful_sync

register = template.Library()


@register.inclusion_tag("provisioning/_health.html", takes_context=True)
def provisioning_health(context):
    """Render the last successful sync and the failures of the last 24 hours."""
    return {
        "is_owner": context.get("is_owner", False),
        "provisioning_health": {
            "last_sync": last_successful_sync(),
            "failures": failures_since(hours=24),
        },
    }
