"""Who may see what on the public pages. What is public is said by the querysets' ``published()``,
``public()`` and ``visible(preview=…)``; who may preview drafts, here, once."""

from django.utils.cache import patch_cache_control

from forum.permissions import is_active_staff


def may_preview_drafts(user) -> bool:
    """Active staff see draft forums and unpublished events on the public addresses."""
    return is_active_staff(user)


def reader_previews(request) -> bool:
    return may_preview_drafts(getattr(request, "user", None))


def answers_privately(request) -> bool:
    """A signed-in reader's answer carries their session: never kept for anyone else."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def answer_preview(response, *, preview: bool):
    # A preview may show drafts: no shared cache may keep it.
    if preview:
        patch_cache_control(response, private=True, no_cache=True)
    return response
