from modeltranslation.translator import TranslationOptions, register

from collectif.core.models import Province


@register(Province)
class ProvinceTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")
