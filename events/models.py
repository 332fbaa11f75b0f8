from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forum.models import Format


class Commission(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class EventKind(models.TextChoices):
    PLENARY = "plenary", _("plenary session")
    SECTION = "section", _("thematic section")
    COMMISSION_MEETING = "commission_meeting", _("commission meeting")
    EXPERT_SESSION = "expert_session", _("expert session")
    BUSINESS_COUNCIL = "business_council", _("business-council meeting")
    YOUTH_FORUM = "youth_forum", _("youth forum")
    SIGNING_CEREMONY = "signing_ceremony", _("signing ceremony")
    OTHER = "other", _("other")


def overlapping(*, starts_at, ends_at, through: str = "") -> Q:
    """Events (``through`` a relation, e.g. "event__") that take place during part of these times:
    each starts before the other ends; back to back is no overlap. A cancelled event takes
    place at no time. The one rule of two events at once, for people and rooms alike."""
    return Q(
        **{
            f"{through}starts_at__lt": ends_at,
            f"{through}ends_at__gt": starts_at,
            f"{through}is_cancelled": False,
        }
    )


class EventQuerySet(models.QuerySet):
    def overlapping(self, *, starts_at, ends_at):
        return self.filter(overlapping(starts_at=starts_at, ends_at=ends_at))

    def published(self):
        return self.filter(is_published=True, forum__is_published=True)

    def visible(self, *, preview: bool):
        """What a reader may see: published events of published forums, or all in a preview."""
        return self if preview else self.published()


class Event(models.Model):
    # Kept equal to day.forum by save(); stored so the database can hold the per-forum
    # uniqueness of slugs and running numbers, which a constraint cannot state across a join.
    forum = models.ForeignKey(
        "forum.Forum",
        on_delete=models.PROTECT,
        related_name="events",
        editable=False,
        verbose_name=_("forum"),
    )
    # PROTECT: deleting a day must not delete its events silently.
    day = models.ForeignKey(
        "forum.Day", on_delete=models.PROTECT, related_name="events", verbose_name=_("day")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    number = models.PositiveSmallIntegerField(
        _("running number"),
        null=True,
        blank=True,
        help_text=_("7 for the seventh meeting of a commission; empty where the kind has none."),
    )
    commission = models.ForeignKey(
        "events.Commission",
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("commission"),
    )
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Empty while the time is not announced: the programme then shows the day only,
    # never a made-up hour.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    venues = models.ManyToManyField(
        "forum.Venue", related_name="events", blank=True, verbose_name=_("venues")
    )
    video_conference_url = models.URLField(
        _("video-conference link"),
        blank=True,
        help_text=_("Private: shown only to the event's delegates and to staff."),
    )
    broadcast_url = models.URLField(
        _("public broadcast link"),
        blank=True,
        help_text=_(
            "Public: where anyone can watch the event live; shown on the “now at the forum” page."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("Kept on the programme, struck through, with the note below."),
    )
    cancellation_note = models.CharField(
        _("cancellation note"),
        max_length=300,
        blank=True,
        help_text=_("Why it was cancelled, or what replaces it; shown with the event."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = EventQuerySet.as_manager()

    # Rules of the apps above that new times must keep (a delegate's clash: delegates.apps
    # registers it), so that events imports none of them. Each returns {field: [messages]}.
    time_checks: ClassVar[list] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = [F("starts_at").asc(nulls_last=True), "number", "pk"]
        constraints = [
            models.CheckConstraint(
                # Both not-null tests spelled out: with one time empty, `ends_at > starts_at`
                # is NULL, which a CHECK lets through.
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_(
                    "An event must end after it starts; give both times or neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["forum", "slug"],
                name="event_unique_slug_per_forum",
                violation_error_message=_("This forum already has an event with this slug."),
            ),
            models.UniqueConstraint(
                fields=["forum", "kind", "number"],
                condition=~Q(kind="commission_meeting"),
                name="event_unique_number_per_forum_and_kind",
                violation_error_message=_(
                    "This forum already has an event of this kind with this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["commission", "number"],
                name="event_unique_meeting_number_per_commission",
                violation_error_message=_(
                    "This commission already has a meeting with this number."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="commission_meeting", commission__isnull=False, number__isnull=False)
                    | (~Q(kind="commission_meeting") & Q(commission__isnull=True))
                ),
                name="event_commission_meeting_names_commission",
                violation_error_message=_(
                    "A commission meeting names its commission and its number; "
                    "other events name no commission."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.day_id:
            self.forum_id = self.day.forum_id
        if not self.slug:
            self.slug = self.default_slug()
        super().save(*args, **kwargs)

    @property
    def calendar_uid(self) -> str:
        """From the primary key: importing a calendar again updates the entry, never doubles it."""
        return f"event-{self.pk}@forum-of-regions"

    @property
    def kind_and_number(self) -> str:
        """The kind and its running number ("thematic section No. 3"), or the kind alone."""
        # EventKind(…).label, not get_kind_display(), which translates every kind to find one.
        kind = EventKind(self.kind).label if self.kind in EventKind.values else self.kind
        if self.number is None:
            return str(kind)
        return _("%(kind)s No. %(number)s") % {"kind": kind, "number": self.number}

    @property
    def calendar_status(self) -> str:
        """The STATUS of its calendar entries (RFC 5545): a cancelled event stays, marked so."""
        if self.is_cancelled:
            return "CANCELLED"
        return "CONFIRMED" if self.is_published else "TENTATIVE"

    @property
    def cancellation_text(self) -> str:
        """The words "Cancelled" and the note, in the active language; empty for an event on."""
        if not self.is_cancelled:
            return ""
        note = self.cancellation_note.strip()
        return _("Cancelled: %(note)s") % {"note": note} if note else str(_("Cancelled."))

    def default_slug(self) -> str:
        base = slugify(getattr(self, "title_en", "") or "") or slugify(
            self.title or "", allow_unicode=False
        )
        return (base or f"event-{self.kind}")[:100]

    def clean_fields(self, exclude=None):
        # The forum follows the day; set it before the unique checks look at it.
        if self.day_id:
            self.forum_id = self.day.forum_id
        if not self.slug:
            self.slug = self.default_slug()
        super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None):
        # A form never shows `forum` (it follows the day), so a form would skip every
        # constraint that names it; check them anyway, the day decides the forum.
        exclude = set(exclude or ()) - {"forum"}
        if "day" in exclude:
            exclude.add("forum")
        super().validate_constraints(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == EventKind.COMMISSION_MEETING:
            if not self.commission_id:
                errors["commission"] = _("A commission meeting names its commission.")
            if self.number is None:
                errors["number"] = _("A commission meeting has a running number.")
        elif self.commission_id:
            errors["commission"] = _("Only a commission meeting names a commission.")
        if bool(self.starts_at) != bool(self.ends_at):
            field = "ends_at" if self.starts_at else "starts_at"
            errors[field] = _("Give both the start and the end, or neither while unknown.")
        elif self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("An event must end after it starts.")
        if self.day_id and self.starts_at:
            local_date = self.starts_at.astimezone(self.day.forum.zone).date()
            if local_date != self.day.date:
                errors["starts_at"] = _(
                    "The event starts on %(start)s in the forum's time zone, not on its day "
                    "%(day)s."
                ) % {"start": local_date.isoformat(), "day": self.day.date.isoformat()}
        if not errors and self._times_moved():
            for check in self.time_checks:
                errors.update(check(self))
        if errors:
            raise ValidationError(errors)

    def _times_moved(self) -> bool:
        """A saved event given other times, or on again after a cancellation: the moment its
        people may come to clash (a cancelled event keeps nobody busy)."""
        if not (self.pk and self.starts_at and self.ends_at) or self.is_cancelled:
            return False
        saved = (
            Event.objects.filter(pk=self.pk)
            .values_list("starts_at", "ends_at", "is_cancelled")
            .first()
        )
        return saved != (self.starts_at, self.ends_at, False)
