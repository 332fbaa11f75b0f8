from modeltranslation.translator import TranslationOptions, register

from delegates.models import Delegate


@register(Delegate)
class DelegateTranslationOptions(TranslationOptions):
    fields = ("last_name", "first_name", "middle_name", "position", "organisation")
