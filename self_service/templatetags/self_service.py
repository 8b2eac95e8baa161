"""Template tags for self-service: the count of changes waiting for HR, for the home page."""

from django import template

from self_service.selectors import change_requests_pending_count

register = template.Library()


@register.inclusion_tag("self_service/_waiting.html")
def waiting_approvals():
    """Render a link to Approvals with the number of changes waiting, when there are any."""
    return {"waiting": change_requests_pending_count()}
