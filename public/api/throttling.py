import math

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from forum.security import client_ip_address


class AnonymousThrottle(AnonRateThrottle):
    """DJANGO_API_ANON_RATE per client address (as the login throttle tells it behind proxies);
    signed-in readers are not throttled."""

    def get_rate(self):
        # Read when asked, not when DRF was imported: settings may change (tests do).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_ip_address(request) or "unknown"


def too_many_requests(request) -> JsonResponse | None:
    """The 429 answer once an anonymous client asked too often, else None. Counted before any
    cache: a cached answer is a request too."""
    throttle = AnonymousThrottle()
    if throttle.allow_request(request, None):
        return None
    seconds = math.ceil(throttle.wait() or 1)
    response = JsonResponse(
        {
            "detail": _("Too many requests. Try again in %(seconds)d seconds.")
            % {"seconds": seconds}
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
