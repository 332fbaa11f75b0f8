from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum import logging as forum_logging

        # Before the first request: its records must already be cleaned.
        forum_logging.install()
        # After modeltranslation's ready(): the history then keeps every language's column.
        from forum import history  # noqa: F401
