from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After modeltranslation's ready(): the history then keeps every language's column.
        from events import history  # noqa: F401
