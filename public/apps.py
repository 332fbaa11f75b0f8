from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from forum.models import Forum
        from public.caching import programme_changed
        from public.search import similar_enough
        from public.versioning import COVERED
        from sheets.signals import sheet_imported

        # Cache upkeep, not domain logic: the signals only say "something changed".
        for model in (Forum, *(table.model for table in COVERED)):
            label = model._meta.label
            if model._meta.auto_created:
                m2m_changed.connect(programme_changed, sender=model, dispatch_uid=f"v-{label}")
            else:
                post_save.connect(_saved, sender=model, dispatch_uid=f"v-{label}")
                post_delete.connect(programme_changed, sender=model, dispatch_uid=f"vd-{label}")
        sheet_imported.connect(_import_changed, dispatch_uid="v-import")
        connection_created.connect(similar_enough, dispatch_uid="search-similarity")


def _saved(sender, update_fields=None, **kwargs):
    # A save that leaves updated_at alone moves no version (a delegate's personal link, say):
    # a new generation would only cost every app server its kept pages.
    if update_fields is not None and "updated_at" not in update_fields:
        return
    from public.caching import programme_changed

    programme_changed(sender=sender, **kwargs)


def _import_changed(**kwargs):
    # Bulk writes send no model signals; a confirmed import says so once, after its commit.
    from public import prerender
    from public.caching import programme_generation_bump

    if prerender.enabled():
        prerender.publish_after_commit()
    else:
        programme_generation_bump()
