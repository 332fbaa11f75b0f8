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

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from delegates.auth import accounts_changed
        from delegates.models import Delegate

        for model in (get_user_model(), Delegate):
            post_save.connect(accounts_changed, sender=model, dispatch_uid="accounts-saved")
            post_delete.connect(accounts_changed, sender=model, dispatch_uid="accounts-deleted")
