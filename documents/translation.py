from modeltranslation.translator import TranslationOptions, register

from documents.models import Document


# The files are not translated fields: a reader must know which language they download, so a
# missing language is missing, never the Russian file under another name.
@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title",)
