from modeltranslation.translator import TranslationOptions, register

from collectif.ecosystem.models import Organisation, Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")
