"""Template tags for OAuth clients: the expiring-secrets card other pages (the home page) show."""

from django import template

from oauth_clients.selectors import secrets_expiring

register = template.Library()


@register.inclusion_tag("oauth_clients/_expiring.html", takes_context=True)
def expiring_client_secrets(context):
    """Render the client secrets that expire within 30 days, for owners only."""
    if not context.get("is_owner", False):
        return {"expiring": []}
    return {"expiring": list(secrets_expiring())}
