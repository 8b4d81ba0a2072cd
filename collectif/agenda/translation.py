from modeltranslation.translator import TranslationOptions, register

from collectif.agenda.models import PlanVersion


@register(PlanVersion)
class PlanVersionTranslation(TranslationOptions):
    fields = ("name", "notes")
