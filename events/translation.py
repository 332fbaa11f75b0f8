from modeltranslation.translator import TranslationOptions, register

from events.models import Commission, Event


@register(Commission)
class CommissionTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description", "cancellation_note")
