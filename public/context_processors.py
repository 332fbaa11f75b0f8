# Where export_site (public.archive) marks a page it asks for as the archive's: a key of the
# WSGI environ, which no HTTP header can set (headers arrive as HTTP_…).
ARCHIVE_ENVIRON = "public.archive"


def archive(request):
    """``archive``: when the page is asked for by export_site, its banner's facts; else None."""
    return {"archive": request.META.get(ARCHIVE_ENVIRON)}
