from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.models import Country, region_country_error


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("cooperation agreement")
    CONTRACT = "contract", _("contract")
    MEMORANDUM = "memorandum", _("memorandum")
    PROGRAMME = "programme", _("programme or road map")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    SIGNED = "signed", _("signed")
    CANCELLED = "cancelled", _("cancelled")


class Currency(models.TextChoices):
    RUB = "RUB", _("Russian rouble")
    BYN = "BYN", _("Belarusian rouble")
    USD = "USD", _("US dollar")
    EUR = "EUR", _("euro")
    CNY = "CNY", _("yuan")


class AgreementQuerySet(models.QuerySet):
    def listed(self):
        """Meant for the registry (``is_public``), whether or not its forum is published yet."""
        return self.filter(is_public=True)

    def public(self):
        return self.listed().filter(forum__is_published=True)

    def visible(self, *, preview: bool):
        """What a reader may see: the public ones, or every listed one in a staff preview."""
        return self.listed() if preview else self.public()


class Agreement(models.Model):
    # PROTECT: the registry of a forum is never deleted along with it by accident.
    forum = models.ForeignKey(
        "forum.Forum",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("forum"),
    )
    registry_number = models.CharField(_("registry number"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=500)
    subject = models.TextField(_("subject"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        related_name="agreements",
        null=True,
        blank=True,
        verbose_name=_("signed at"),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Unticked, the agreement stays out of the registry.")
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Made up for the demo; not a real agreement.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["forum", "registry_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "registry_number"],
                name="agreement_unique_registry_number_per_forum",
                violation_error_message=_("This forum already has an agreement with this number."),
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement has a signing date."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(currency=""),
                name="agreement_value_has_currency",
                violation_error_message=_("A value needs its currency."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="agreement_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.registry_number} {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.status == Status.SIGNED and not self.signed_on:
            errors["signed_on"] = _("A signed agreement has a signing date.")
        if self.value is not None and not self.currency:
            errors["currency"] = _("A value needs its currency.")
        if self.event_id and self.forum_id and self.event.forum_id != self.forum_id:
            errors["event"] = _("The event belongs to another forum.")
        # The parties are checked with them: agreements.services.agreement_check_parties.
        if errors:
            raise ValidationError(errors)


class PartyKind(models.TextChoices):
    REGIONAL_AUTHORITY = "regional_authority", _("regional authority")
    COMPANY = "company", _("company")
    ORGANISATION = "organisation", _("other organisation")


class Party(models.Model):
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("agreement"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.ForeignKey(
        "forum.Region",
        on_delete=models.PROTECT,
        related_name="parties",
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    signatory = models.CharField(_("signed by"), max_length=200, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        message = region_country_error(self.region if self.region_id else None, self.country)
        if message:
            raise ValidationError({"region": message})
