from modeltranslation.translator import TranslationOptions, register

from collectif.measurement.models import (
    Baseline,
    Dataset,
    Dimension,
    DimensionMember,
    Indicator,
    ValidationRule,
)


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("name",)


@register(DimensionMember)
class DimensionMemberTranslation(TranslationOptions):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "rationale", "story")


@register(Dataset)
class DatasetTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ValidationRule)
class ValidationRuleTranslation(TranslationOptions):
    fields = ("message",)


@register(Baseline)
class BaselineTranslation(TranslationOptions):
    fields = ("source",)
