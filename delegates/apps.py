from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegatesConfig(AppConfig):
    name = "delegates"
    verbose_name = _("Delegates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After modeltranslation's ready(): the history then keeps every language's column.
        from delegates import history  # noqa: F401
