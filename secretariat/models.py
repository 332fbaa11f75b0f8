from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    SENT = "sent", _("sent")
    NOT_SENT = "not_sent", _("not sent")


class Notice(models.Model):
    """One mail telling one delegate what changed in their programme: what it said, and whether
    the mail server took it (and why not)."""

    # CASCADE: a delegate removed takes their notices along.
    delegate = models.ForeignKey(
        "delegates.Delegate",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("delegate"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # SET_NULL: a staff account removed leaves the record of what it sent.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices)
    reason = models.CharField(
        _("why not sent"), max_length=500, blank=True, help_text=_("Empty when it was sent.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    changes = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("notice to a delegate")
        verbose_name_plural = _("notices to delegates")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.delegate}: {self.subject}"


class Told(models.Model):
    """What a delegate was last told of one event of their programme (an entry of
    delegates.changes), so that the next notice lists what changed since. Written only when a
    notice went out: a mail that failed leaves the change to be told."""

    delegate = models.ForeignKey(
        "delegates.Delegate",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegate"),
    )
    # The event's id, kept when the event is deleted: the next notice says it is gone.
    event_key = models.PositiveBigIntegerField(_("event"))
    forum = models.ForeignKey(
        "forum.Forum", on_delete=models.CASCADE, related_name="+", verbose_name=_("forum")
    )
    entry = models.JSONField(_("what was told"))
    notice = models.ForeignKey(
        "secretariat.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice"),
    )

    class Meta:
        verbose_name = _("what a delegate was told")
        verbose_name_plural = _("what delegates were told")
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "event_key"], name="told_unique_delegate_event"
            ),
        ]

    def __str__(self):
        return f"{self.delegate_id}: {self.event_key}"
