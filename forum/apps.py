from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    # The tables the programme version covers (forum.versioning): a write to any of them makes
    # the cached versions stale (forum.caching.programme_changed).
    VERSIONED_MODELS = [
        "forum.Forum",
        "forum.Day",
        "forum.Venue",
        "forum.Region",
        "events.Event",
        "events.Commission",
        "delegates.Delegate",
        "delegates.Assignment",
        "agreements.Agreement",
        "agreements.Party",
    ]

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        # After modeltranslation's ready(): the history then keeps every language's column.
        from forum import history  # noqa: F401
        from forum.caching import programme_changed, programme_generation_bump
        from sheets.signals import sheet_imported

        # Cache upkeep, not domain logic: the signals only say "something changed".
        for label in self.VERSIONED_MODELS:
            model = apps.get_model(label)
            post_save.connect(programme_changed, sender=model, dispatch_uid=f"version-{label}")
            post_delete.connect(programme_changed, sender=model, dispatch_uid=f"version-d-{label}")
        sheet_imported.connect(
            lambda **kwargs: programme_generation_bump(), weak=False, dispatch_uid="version-import"
        )
        m2m_changed.connect(
            programme_changed,
            sender=apps.get_model("events.Event").venues.through,
            dispatch_uid="version-event-venues",
        )
