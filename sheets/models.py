from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """One spreadsheet import: who, when, which file, how many rows; rows keep no history each."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # SET_NULL: the record of an import outlives the account that made it.
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("what"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("new"))
    updated = models.PositiveIntegerField(_("updated"))
    skipped = models.PositiveIntegerField(_("unchanged"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
