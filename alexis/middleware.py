"""Project-wide HTTP middleware."""

from django.conf import settings

from alexis.errors import SCIM_PREFIX, bad_input_response
from alexis.request_input import InputError, check_query


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header unless a view already set one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class QueryTextMiddleware:
    """Refuse a query string holding text that no database can store (NUL), before any view.

    SCIM requests are left to the SCIM views, which answer in SCIM's format and record the
    refusal in the provisioning log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and not request.path.startswith(SCIM_PREFIX):
            try:
                check_query(request.GET)
            except InputError as exc:
                return bad_input_response(request, exc)
        return self.get_response(request)
