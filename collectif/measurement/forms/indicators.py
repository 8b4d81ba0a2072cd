"""Forms of the indicator setup pages.

The model form runs the model's own checks (Indicator.clean, a unique code) while the
form is validated, so those errors appear beside the field like any other; the service
checks again in its transaction.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.forms._widgets import CODE_HINT, IndicatorChoiceField, text_input
from collectif.measurement.models import Indicator
from collectif.measurement.selectors.indicators import indicator_others
from collectif.measurement.services.indicators import IndicatorData


class IndicatorForm(forms.ModelForm[Indicator]):
    BILINGUAL = ("name", "definition", "rationale", "story")
    COMPUTED = ("numerator", "denominator", "factor")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_en",
            "name_fr",
            "definition_en",
            "definition_fr",
            "rationale_en",
            "rationale_fr",
            "story_en",
            "story_fr",
            "kind",
            "question",
            "unit",
            "decimals",
            "polarity",
            "aggregation",
            "weight_indicator",
            "frequency",
            "source",
            "numerator",
            "denominator",
            "factor",
            "dimensions",
            "consistency",
            "is_published",
            "position",
        ]
        field_classes = {
            "weight_indicator": IndicatorChoiceField,
            "numerator": IndicatorChoiceField,
            "denominator": IndicatorChoiceField,
        }
        labels = {
            "name_en": _("Name in English"),
            "name_fr": _("Name in French"),
            "definition_en": _("Definition in English"),
            "definition_fr": _("Definition in French"),
            "rationale_en": _("Why it matters, in English"),
            "rationale_fr": _("Why it matters, in French"),
            "story_en": _("Story behind the curve, in English"),
            "story_fr": _("Story behind the curve, in French"),
            "is_published": _("Published: shown on the scorecard and the public report card"),
        }
        help_texts = {
            "code": CODE_HINT,
            "definition_en": _("Exactly what is counted, so every partner counts the same way."),
            "question": _("For performance measures: which question this measure answers."),
            "decimals": _("How many decimals to show, from 0 to 4."),
            "aggregation": _(
                "How partners’ values combine into regional and national figures. A weighted "
                "mean also needs the indicator to weight by."
            ),
            "weight_indicator": _("Only for a weighted mean, e.g. young people served."),
            "numerator": _("Only for computed indicators."),
            "denominator": _("Only for computed indicators."),
            "factor": _("Only for computed indicators: 100 for a percentage, 1000 for a rate."),
            "dimensions": _(
                "Partners report the total and one figure for each member of these "
                "dimensions. Changing them recalculates the shared figures."
            ),
            "consistency": _(
                "What happens when the parts of a dimension do not add up to the total."
            ),
            "position": _("Indicators are listed in this order on the scorecard."),
        }
        widgets = {
            "name_en": text_input("en"),
            "name_fr": text_input("fr"),
            "definition_en": text_input("en", 4),
            "definition_fr": text_input("fr", 4),
            "rationale_en": text_input("en", 4),
            "rationale_fr": text_input("fr", 4),
            "story_en": text_input("en", 4),
            "story_fr": text_input("fr", 4),
            "dimensions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        self.fields["name_fr"].required = True
        if self.instance.pk:
            del self.fields["code"]
        others = indicator_others(indicator=self.instance)
        for name in ("weight_indicator", "numerator", "denominator"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = others

    def bilingual_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{name}_en"], self[f"{name}_fr"]) for name in self.BILINGUAL]

    def indicator_data(self) -> IndicatorData:
        """What the valid form says, for the services (the code aside)."""
        data = self.cleaned_data
        return IndicatorData(
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            kind=data["kind"],
            definition_en=data["definition_en"],
            definition_fr=data["definition_fr"],
            rationale_en=data["rationale_en"],
            rationale_fr=data["rationale_fr"],
            story_en=data["story_en"],
            story_fr=data["story_fr"],
            question=data["question"],
            unit=data["unit"],
            decimals=data["decimals"],
            polarity=data["polarity"],
            aggregation=data["aggregation"],
            weight_indicator=data["weight_indicator"],
            frequency=data["frequency"],
            source=data["source"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            factor=data["factor"],
            dimensions=tuple(dimension.code for dimension in data["dimensions"]),
            consistency=data["consistency"],
            is_published=data["is_published"],
            position=data["position"],
        )


class IndicatorSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by code or name"), required=False, max_length=100)
    published = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All indicators")),
            ("published", _("Published only")),
            ("internal", _("Internal only")),
        ],
    )
