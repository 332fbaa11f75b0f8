from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After modeltranslation's ready(): the history then keeps every language's column.
        from agreements import history  # noqa: F401
