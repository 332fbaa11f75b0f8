"""Answer the load balancer's health probe before the rest of the middleware runs."""

from forum.views import healthz

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """``/healthz`` straight to its view: no session is read or written, no CSRF token, no
    language, no user, and the Host header is not checked (probes often send an address).

    Placed right after SecurityMiddleware (whose HTTPS redirect exempts the path), so the answer
    still carries the security headers. The URLconf keeps its ``healthz`` route for ``reverse``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)
