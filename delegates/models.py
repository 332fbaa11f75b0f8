from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import overlapping
from forum.models import Country, region_country_error


class Category(models.TextChoices):
    FEDERATION_COUNCIL = "federation_council", _("member of the Federation Council")
    COUNCIL_OF_REPUBLIC = "council_of_republic", _("member of the Council of the Republic")
    DEPUTY = "deputy", _("deputy")
    REGIONAL_OFFICIAL = "regional_official", _("regional official")
    BUSINESS = "business", _("business")
    EXPERT = "expert", _("expert")
    YOUTH = "youth", _("youth")
    GUEST = "guest", _("guest")


class Delegate(models.Model):
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The id in the secretariat's own list; imports match delegates by it."),
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.ForeignKey(
        "forum.Region",
        on_delete=models.PROTECT,
        related_name="delegates",
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Private."))
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("Private."))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="ru",
        help_text=_("The language we write to the delegate in."),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Made up for the demo; not a real person.")
    )
    # SET_NULL: removing a login must not remove the delegate and their assignments.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="delegate",
        null=True,
        blank=True,
        verbose_name=_("login"),
        help_text=_("The account the delegate signs in with; made when they first sign in."),
    )
    # The personal link carries this key; a new link replaces it, so the old link stops
    # working. Empty: no link works.
    access_key = models.CharField(_("access key"), max_length=64, blank=True, editable=False)
    access_link_issued_at = models.DateTimeField(
        _("personal link issued"), null=True, blank=True, editable=False
    )
    # The secret part of the calendar feed's address; empty until the delegate's page makes one.
    calendar_secret = models.CharField(
        _("calendar secret"), max_length=64, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="delegate_unique_external_id",
                violation_error_message=_("Another delegate has this external id."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="delegate_unique_email",
                violation_error_message=_("Another delegate has this e-mail."),
            ),
            models.UniqueConstraint(
                fields=["calendar_secret"],
                condition=~Q(calendar_secret=""),
                name="delegate_unique_calendar_secret",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    def clean(self):
        super().clean()
        message = region_country_error(self.region if self.region_id else None, self.country)
        if message:
            raise ValidationError({"region": message})


class Role(models.TextChoices):
    CHAIR = "chair", _("chair")
    CO_CHAIR = "co_chair", _("co-chair")
    MODERATOR = "moderator", _("moderator")
    SPEAKER = "speaker", _("speaker")
    EXPERT = "expert", _("expert")
    PARTICIPANT = "participant", _("participant")


class Participation(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("remotely")


class AssignmentQuerySet(models.QuerySet):
    def clashing(self, *, delegates, starts_at, ends_at, other_than_event):
        """The assignments that make these delegates sit elsewhere between these times: their
        places in other events that overlap them (events.models.overlapping: a cancelled event
        keeps nobody busy). The one rule of a clash; arguments may be OuterRef()s, to ask it
        of every row of an outer query."""
        return (
            self.filter(
                overlapping(starts_at=starts_at, ends_at=ends_at, through="event__"),
                delegate__in=delegates,
            )
            .exclude(event=other_than_event)
            .order_by("event__starts_at", "pk")
        )


class Assignment(models.Model):
    delegate = models.ForeignKey(
        "delegates.Delegate",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("delegate"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("event"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    participation = models.CharField(
        _("takes part"),
        max_length=20,
        choices=Participation.choices,
        default=Participation.IN_PERSON,
    )
    venue = models.ForeignKey(
        "forum.Venue",
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
        verbose_name=_("venue"),
        help_text=_("Where the delegate sits; empty when they take part remotely."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "event"],
                name="assignment_unique_delegate_event",
                violation_error_message=_("This delegate is already assigned to this event."),
            ),
            models.CheckConstraint(
                condition=Q(participation="in_person") | Q(venue__isnull=True),
                name="assignment_remote_has_no_venue",
                violation_error_message=_("A delegate who takes part remotely has no venue."),
            ),
        ]

    def __str__(self):
        return f"{self.delegate} — {self.event} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        errors = {}
        if self.participation == Participation.REMOTE and self.venue_id:
            errors["venue"] = _("A delegate who takes part remotely has no venue.")
        elif (
            self.venue_id
            and self.event_id
            # An event being added has no venues saved yet: checked on its next save.
            and self.event.pk
            and not self.event.venues.filter(pk=self.venue_id).exists()
        ):
            errors["venue"] = _("The event is not held in this venue.")
        if (
            self.delegate_id
            and self.event_id
            and self.event.starts_at
            and not self.event.is_cancelled
        ):
            clash = (
                Assignment.objects.clashing(
                    delegates=[self.delegate_id],
                    starts_at=self.event.starts_at,
                    ends_at=self.event.ends_at,
                    other_than_event=self.event_id,
                )
                .select_related("event")
                .first()
            )
            if clash:
                errors["event"] = _(
                    "%(delegate)s already takes part in “%(event)s” at the same time."
                ) % {"delegate": self.delegate, "event": clash.event}
        if errors:
            raise ValidationError(errors)


class PasswordResetRequest(models.Model):
    """A request for a password-reset mail, kept while the throttle counts it (README,
    "Security"); rows older than its window are removed as new ones come."""

    # A keyed hash of the address asked for: counting needs no address, so none is kept.
    address_digest = models.CharField(_("address digest"), max_length=64)
    client = models.CharField(_("client address"), max_length=45, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")
        # Counted by the throttle only, never edited: no permissions, no admin, no history.
        default_permissions = ()
        indexes = [
            models.Index(fields=["address_digest", "requested_at"], name="reset_request_address"),
            models.Index(fields=["client", "requested_at"], name="reset_request_client"),
            models.Index(fields=["requested_at"], name="reset_request_time"),
        ]

    def __str__(self):
        return f"{self.client or '?'} {self.requested_at:%Y-%m-%d %H:%M}"


class ProgrammeSeen(models.Model):
    """What the delegate's own page last showed them (a snapshot of delegates.changes), to mark
    on their next visit what changed since. Kept apart from Delegate: a visit is no edit of the
    delegate (no history entry, no new programme version)."""

    delegate = models.OneToOneField(
        "delegates.Delegate",
        on_delete=models.CASCADE,
        related_name="programme_seen",
        verbose_name=_("delegate"),
    )
    entries = models.JSONField(_("programme shown"), default=dict)
    before = models.JSONField(_("programme shown before the last change"), null=True, blank=True)
    changed_at = models.DateTimeField(_("change found"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme seen")
        verbose_name_plural = _("programmes seen")

    def __str__(self):
        return str(self.delegate)
