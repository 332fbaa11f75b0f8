"""What the API says of each thing: what the public pages show of it, nothing private."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import Agreement, AgreementKind, Party, Status
from delegates.selectors import ROLE_HEADINGS
from events.models import Event, EventKind
from forum.models import Country, Day, Forum, Region, Venue


def _absolute(context, name: str, **kwargs) -> str:
    return context["request"].build_absolute_uri(reverse(name, kwargs=kwargs))


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "country", "name"]


class RegionSerializer(serializers.ModelSerializer):
    agreements = serializers.IntegerField(help_text=_("Agreements it is party to."))
    speakers = serializers.IntegerField(
        help_text=_("Its people who chaired, moderated or spoke at a public event.")
    )
    url = serializers.SerializerMethodField(help_text=_("The region's public page."))

    class Meta:
        model = Region
        fields = ["code", "country", "name", "agreements", "speakers", "url"]

    def get_url(self, region) -> str:
        return _absolute(self.context, "region", code=region.code)


class DaySerializer(serializers.ModelSerializer):
    forum = serializers.IntegerField(source="forum.year", help_text=_("The forum's year."))

    class Meta:
        model = Day
        fields = ["forum", "date", "title"]


class ForumSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The forum's public page."))

    class Meta:
        model = Forum
        fields = [
            "number",
            "year",
            "title",
            "theme",
            "starts_on",
            "ends_on",
            "format",
            "host_cities",
            "time_zone",
            "agreements_expected",
            "agreements_reported",
            "agreements_value_reported",
            "is_published",
            "url",
        ]

    def get_url(self, forum) -> str:
        return _absolute(self.context, "forum-overview", year=forum.year)


class ForumDetailSerializer(ForumSerializer):
    days = serializers.SerializerMethodField()

    class Meta(ForumSerializer.Meta):
        fields = [*ForumSerializer.Meta.fields, "days"]

    @extend_schema_field(DaySerializer(many=True))
    def get_days(self, forum):
        return DaySerializer(forum.days.all(), many=True, context=self.context).data


class VenueSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", allow_null=True, default=None)

    class Meta:
        model = Venue
        fields = ["name", "kind", "city", "country", "region"]


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    position = serializers.CharField()
    organisation = serializers.CharField()
    is_sample = serializers.BooleanField()


class RoleGroupSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=list(ROLE_HEADINGS))
    heading = serializers.CharField()
    people = PersonSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    forum = serializers.IntegerField(source="forum.year", help_text=_("The forum's year."))
    date = serializers.DateField(source="day.date")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    venues = VenueSerializer(many=True)
    people = RoleGroupSerializer(
        many=True, source="participant_groups", help_text=_("The people on it, by role.")
    )
    url = serializers.SerializerMethodField(help_text=_("The event's public page."))

    class Meta:
        model = Event
        fields = [
            "forum",
            "slug",
            "date",
            "kind",
            "number",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "format",
            "is_cancelled",
            "cancellation_note",
            "is_published",
            "venues",
            "people",
            "url",
        ]

    def get_url(self, event) -> str:
        return _absolute(self.context, "event", year=event.forum.year, slug=event.slug)


class PartySerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(allow_null=True)

    class Meta:
        model = Party
        fields = ["name", "kind", "country", "region", "signatory", "signatory_position"]


class SignedAtSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class AgreementSerializer(serializers.ModelSerializer):
    forum = serializers.IntegerField(source="forum.year", help_text=_("The forum's year."))
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    event = serializers.SerializerMethodField(help_text=_("The public event it was signed at."))
    parties = PartySerializer(many=True)

    class Meta:
        model = Agreement
        fields = [
            "forum",
            "registry_number",
            "kind",
            "title",
            "subject",
            "status",
            "signed_on",
            "event",
            "value",
            "currency",
            "is_sample",
            "parties",
        ]

    @extend_schema_field(SignedAtSerializer(allow_null=True))
    def get_event(self, agreement):
        if not agreement.event_is_visible:
            return None
        return {"slug": agreement.event.slug, "title": agreement.event.title}


# The filters, as the registry's: a value the API does not know is refused with a 400.
class ForumFilter(serializers.Serializer):
    forum = serializers.IntegerField(
        required=False, min_value=1000, max_value=9999, help_text=_("A forum's year, e.g. 2020.")
    )


class EventFilter(ForumFilter):
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    date = serializers.DateField(required=False, help_text=_("A day, e.g. 2020-09-28."))


class AgreementFilter(ForumFilter):
    kind = serializers.ChoiceField(choices=AgreementKind.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    country = serializers.ChoiceField(
        choices=Country.choices, required=False, help_text=_("A party's country.")
    )
    region = serializers.RegexField(
        r"^(BY|RU)-[A-Z0-9]{1,3}$",
        required=False,
        help_text=_("A party's region, by its ISO 3166-2 code, e.g. BY-VI."),
    )


class RegionFilter(serializers.Serializer):
    country = serializers.ChoiceField(choices=Country.choices, required=False)
