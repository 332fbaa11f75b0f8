"""What every public page shares: who may preview drafts, and how a preview is answered."""

from django.utils.cache import patch_cache_control


def reader_previews(request) -> bool:
    """Staff see drafts and unpublished events; everyone else only what is published."""
    user = getattr(request, "user", None)
    return bool(user and user.is_staff)


def answer_preview(response, *, preview: bool):
    # A staff preview may show drafts: no shared cache may keep it.
    if preview:
        patch_cache_control(response, private=True, no_cache=True)
    return response
