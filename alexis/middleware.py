"""Project-wide HTTP middleware."""

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response

from alexis.errors import SCIM_PREFIX, bad_input_response
from alexis.request_input import InputError, check_query


class _ViewOnlyHandler(BaseHandler):
    """Resolve the URL and call the view, with Django's error handling and no middleware."""

    def __init__(self) -> None:
        super().__init__()
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


class TokenApiMiddleware:
    """Send SCIM requests straight to their view, past the middleware that serves browsers.

    The SCIM endpoint authenticates every request by its bearer token and answers JSON: it
    uses no session, CSRF cookie, signed-in user, message, time zone, frame or content
    policy, and refuses bad query text itself (in SCIM's error format, recorded in the
    provisioning log). Running that middleware anyway was a fifth of each request's cost.
    Middleware listed before this one (SecurityMiddleware) still applies to SCIM.
    """

    prefixes = (SCIM_PREFIX,)

    def __init__(self, get_response):
        self.get_response = get_response
        self.view_only = _ViewOnlyHandler()._middleware_chain

    def __call__(self, request):
        if request.path_info.startswith(self.prefixes):
            return self.view_only(request)
        return self.get_response(request)


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
