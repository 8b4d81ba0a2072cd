from modeltranslation.translator import TranslationOptions, register

from collectif.ecosystem.models import (
    Contact,
    EquityIdentity,
    Organisation,
    PopulationGroup,
    RelationshipType,
    Sector,
)


class _Named(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(Sector)
class SectorTranslation(_Named):
    pass


@register(PopulationGroup)
class PopulationGroupTranslation(_Named):
    pass


@register(EquityIdentity)
class EquityIdentityTranslation(_Named):
    pass


@register(RelationshipType)
class RelationshipTypeTranslation(_Named):
    pass


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Contact)
class ContactTranslation(TranslationOptions):
    fields = ("role_title",)
