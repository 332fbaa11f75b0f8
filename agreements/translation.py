from modeltranslation.translator import TranslationOptions, register

from agreements.models import Agreement, Party


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "subject")


@register(Party)
class PartyTranslationOptions(TranslationOptions):
    fields = ("name", "signatory", "signatory_position")
