from forum.models import Forum


def forum_archive():
    """Every published edition, newest first, for the home page."""
    return Forum.objects.published().order_by("-year")
