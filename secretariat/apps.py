from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("Secretariat's workbench")
    default_auto_field = "django.db.models.BigAutoField"
