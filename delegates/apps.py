from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegatesConfig(AppConfig):
    name = "delegates"
    verbose_name = _("Delegates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from delegates.logging import SECRET_PATHS
        from forum import logging as forum_logging

        for secret in SECRET_PATHS:
            if secret not in forum_logging.SECRET_PATHS:
                forum_logging.SECRET_PATHS.append(secret)

        # After modeltranslation's ready(): the history then keeps every language's column.
        from delegates import history  # noqa: F401
        from delegates.rules import event_time_clashes
        from events.models import Event

        if event_time_clashes not in Event.time_checks:
            Event.time_checks.append(event_time_clashes)
