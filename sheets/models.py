from django.db import models
from django.utils import timezone
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
    # The upload confirmed: a second confirmation of it finds this record instead of importing
    # the file again.
    upload_key = models.CharField(_("upload key"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class UploadQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class Upload(models.Model):
    """A previewed file waiting for its confirmation. Kept in the database, the one store every
    app server shares, so that the confirmation may reach another server than the preview."""

    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    # CASCADE: only its uploader may confirm a file, so it goes with their account.
    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("what"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    data = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
