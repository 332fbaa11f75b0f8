from modeltranslation.translator import TranslationOptions, register

from forum.models import Day, Forum, Region, Venue


@register(Forum)
class ForumTranslationOptions(TranslationOptions):
    fields = ("title", "theme", "host_cities", "agreements_value_reported", "notes")


@register(Day)
class DayTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("name", "city", "address")
