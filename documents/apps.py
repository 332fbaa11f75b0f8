from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After modeltranslation's ready(): the history then keeps every language's column.
        from documents import history  # noqa: F401
