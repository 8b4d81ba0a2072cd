"""Forms of the results pages: the story behind the curve and the completeness filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.models import Dataset, Period


class StoryForm(forms.Form):
    """The story in both languages; either may stay empty until someone can write it."""

    story_en = forms.CharField(
        label=_("Story behind the curve, in English"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
    )
    story_fr = forms.CharField(
        label=_("Story behind the curve, in French"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "fr"}),
        help_text=_("Readers see the text of their language; write both when you can."),
    )


class CompletenessFilterForm(forms.Form):
    """Filters read from the query string; unknown codes are ignored, never an error page."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    dataset = forms.ChoiceField(label=_("Dataset"), required=False)

    def __init__(
        self, *args: Any, periods: list[Period], datasets: list[Dataset], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        period_field = self.fields["period"]
        dataset_field = self.fields["dataset"]
        assert isinstance(period_field, forms.ChoiceField)
        assert isinstance(dataset_field, forms.ChoiceField)
        period_field.choices = [(p.code, p.label) for p in periods]
        dataset_field.choices = [("", _("All datasets"))] + [(d.code, d.name) for d in datasets]
