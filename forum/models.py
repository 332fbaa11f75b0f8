import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    BELARUS = "BY", _("Belarus")
    RUSSIA = "RU", _("Russia")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zone_names():
        raise ValidationError(
            _("%(value)s is not a known time zone, such as Europe/Minsk."),
            params={"value": value},
        )


class ForumQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible(self, *, preview: bool):
        """What a reader may see: published forums, or all of them in a staff preview."""
        return self if preview else self.published()


class Forum(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("7 for the Seventh Forum."))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    theme = models.TextField(_("theme"), blank=True)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    host_cities = models.CharField(_("host cities"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Moscow",
        validators=[validate_time_zone],
        help_text=_("The time zone the programme is given in, e.g. Europe/Minsk."),
    )
    agreements_expected = models.PositiveIntegerField(
        _("agreements expected"), null=True, blank=True
    )
    agreements_reported = models.PositiveIntegerField(
        _("agreements reported signed"),
        null=True,
        blank=True,
        help_text=_("The count officials or the press reported; empty where none was found."),
    )
    agreements_value_reported = models.CharField(
        _("agreements as reported"),
        max_length=300,
        blank=True,
        help_text=_(
            "What officials or the press reported, as readers see it on the public pages; "
            "caveats go to the notes."
        ),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("For the secretariat; not shown on public pages.")
    )
    sources = models.TextField(_("sources"), blank=True, help_text=_("One address per line."))
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="forum_unique_number"),
            models.UniqueConstraint(fields=["year"], name="forum_unique_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="forum_closes_on_or_after_opening",
                violation_error_message=_("A forum cannot close before it opens."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="forum_number_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A forum cannot close before it opens.")})
        if self.pk and self.ends_on:
            late = self.days.filter(date__gt=self.ends_on).order_by("date").first()
            if late:
                raise ValidationError(
                    {
                        "ends_on": _("The forum has a day on %(date)s, after this closing date.")
                        % {"date": late.date.isoformat()}
                    }
                )


class Day(models.Model):
    # CASCADE: a day is part of its forum; its events PROTECT it in turn.
    forum = models.ForeignKey(
        "forum.Forum", on_delete=models.CASCADE, related_name="days", verbose_name=_("forum")
    )
    date = models.DateField(_("date"))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Optional, e.g. “Youth Forum”.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("day")
        verbose_name_plural = _("days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "date"], name="day_unique_per_forum"),
        ]

    def __str__(self):
        return self.date.isoformat() if self.date else "—"

    def clean(self):
        super().clean()
        if self.forum_id and self.date and self.date > self.forum.ends_on:
            raise ValidationError({"date": _("A forum day cannot come after the forum closes.")})


def region_country_error(region, country: str) -> str | None:
    """Why a region does not go with a country, or None: the one rule for venues, delegates and
    parties alike."""
    if region is None or not country or region.country == country:
        return None
    return _("%(region)s is not in %(country)s.") % {
        "region": region,
        "country": Country(country).label,
    }


class Region(models.Model):
    code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=6,
        validators=[RegexValidator(r"^(BY|RU)-[A-Z0-9]{1,3}$", _("Use a code like BY-MI."))],
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    name = models.CharField(_("name"), max_length=200)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="region_unique_code"),
            models.CheckConstraint(
                condition=(
                    Q(country=Country.BELARUS, code__startswith="BY-")
                    | Q(country=Country.RUSSIA, code__startswith="RU-")
                ),
                name="region_code_matches_country",
                violation_error_message=_("The code must start with the country's code."),
            ),
        ]

    def __str__(self):
        return self.name


class VenueKind(models.TextChoices):
    HALL = "hall", _("hall")
    STUDIO = "studio", _("studio")
    ONLINE_HUB = "online_hub", _("online hub")


class Venue(models.Model):
    # CASCADE: a venue is set up for one forum; the next edition copies it.
    forum = models.ForeignKey(
        "forum.Forum", on_delete=models.CASCADE, related_name="venues", verbose_name=_("forum")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.ForeignKey(
        "forum.Region",
        on_delete=models.PROTECT,
        related_name="venues",
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["forum", "city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="venue_unique_name_per_forum"),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"

    def clean(self):
        super().clean()
        message = region_country_error(self.region if self.region_id else None, self.country)
        if message:
            raise ValidationError({"region": message})
