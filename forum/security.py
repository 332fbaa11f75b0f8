"""Where a request comes from, for django-axes' login throttling.

Written here rather than taken from django-ipware: its proxy-count rules returned no address for
a single proxy that appends the client's address, and the left-most entry of X-Forwarded-For is
whatever the client chose to send. Our rule is short and states who is trusted.
"""

from django.conf import settings


def client_ip_address(request) -> str | None:
    """The address of whoever connected to our outermost trusted proxy.

    With ``TRUSTED_PROXIES`` = 0 (development, or no proxy) that is REMOTE_ADDR. Behind N
    proxies that each append the address they saw to X-Forwarded-For, the right-most N entries
    were written by our proxies and the N-th from the right is the client; entries to its left
    came from the client and are ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < trusted:
        return remote_addr
    return forwarded[-trusted]
