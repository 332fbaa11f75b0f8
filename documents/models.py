import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from documents.files import CONTENT_TYPES, FileFormat, file_facts, validate_document_file


class DocumentKind(models.TextChoices):
    # In the order the pages list them: final documents first.
    RESOLUTION = "resolution", _("resolution or final document")
    MINUTES = "minutes", _("minutes")
    RECOMMENDATIONS = "recommendations", _("recommendations")
    PROGRAMME = "programme", _("programme")
    PRESENTATION = "presentation", _("presentation")
    PRESS_RELEASE = "press_release", _("press release")
    PHOTO = "photo", _("photo")


class Access(models.TextChoices):
    PUBLIC = "public", _("everyone")
    PARTICIPANTS = "participants", _("participants and staff")


_KIND_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(DocumentKind.values)),
    default=Value(len(DocumentKind.values)),
    output_field=IntegerField(),
)
_LANGUAGE_RANK = Case(
    *(
        When(language=code, then=Value(rank))
        for rank, (code, _name) in enumerate(settings.LANGUAGES)
    ),
    default=Value(len(settings.LANGUAGES)),
    output_field=IntegerField(),
)


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Everyone may read these: meant for everyone, of a published forum and, if of an
        event, a published one."""
        return self.filter(access=Access.PUBLIC, forum__is_published=True).filter(
            Q(event__isnull=True) | Q(event__is_published=True)
        )

    def visible(self, *, preview: bool):
        """What a public page lists: the public ones, or in a staff preview also those of draft
        forums and unpublished events. Participants' documents never."""
        return self.filter(access=Access.PUBLIC) if preview else self.public()

    def in_reading_order(self):
        """Final documents first, then by kind; the newest first within a kind."""
        return self.annotate(kind_rank=_KIND_RANK).order_by("kind_rank", "-date", "pk")

    def offered(self):
        """Those with a file to offer, in reading order, each with its files in the order of the
        languages (Russian, Belarusian, English) in one more query."""
        files = DocumentFile.objects.annotate(language_rank=_LANGUAGE_RANK).order_by(
            "language_rank"
        )
        return (
            self.filter(Exists(DocumentFile.objects.filter(document=OuterRef("pk"))))
            .prefetch_related(Prefetch("files", queryset=files))
            .in_reading_order()
        )


class Document(models.Model):
    # PROTECT: a forum's or an event's papers are never deleted along with it by accident.
    forum = models.ForeignKey(
        "forum.Forum",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("forum"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("event"),
        help_text=_("Empty for a document of the whole forum."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), help_text=_("When it was adopted, signed or published."))
    access = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Access.choices,
        default=Access.PUBLIC,
        help_text=_(
            "Participants: the delegates assigned to the event (to any event of the forum, for "
            "a document of the whole forum), on their own page; and staff. Everyone: the public "
            "pages, once the forum and the event are published."
        ),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Made up for the demo; not a real document.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.event_id and self.forum_id and self.event.forum_id != self.forum_id:
            raise ValidationError({"event": _("This event belongs to another forum.")})


def stored_name(instance: "DocumentFile", filename: str) -> str:
    """A name nobody can guess or list, with the extension of what the file really is; the name
    it was uploaded under is not kept (a reader downloads it under the document's title)."""
    return f"documents/{uuid.uuid4().hex}.{instance.format}"


class DocumentFile(models.Model):
    # CASCADE: a file is the document's, in one language.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("document"),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    file = models.FileField(
        _("file"),
        upload_to=stored_name,
        max_length=200,
        validators=[validate_document_file],
        help_text=_("PDF, DOCX, XLSX, PPTX, ODT, JPEG or PNG, checked by its content."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=FileFormat.choices, editable=False
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    # The ETag of the download: the same bytes, the same tag, whatever the row's other edits.
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"],
                name="document_file_unique_language",
                violation_error_message=_("This document already has a file in this language."),
            ),
        ]

    def __str__(self):
        return f"{self.document} ({self.language})"

    def save(self, *args, **kwargs):
        # A new upload: what it is decides its stored name (stored_name) and how it is served.
        if self.file and not self.file._committed:
            facts = file_facts(self.file)
            self.format, self.size, self.sha256 = facts.format, facts.size, facts.sha256
        super().save(*args, **kwargs)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[FileFormat(self.format)]
