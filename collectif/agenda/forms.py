"""Forms of the plan pages: a version of the strategic plan, in both languages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.agenda.models import PlanVersion
from collectif.agenda.services import PlanVersionData


def _text(lang: str, rows: int = 0) -> forms.Widget:
    if rows:
        return forms.Textarea(attrs={"rows": rows, "lang": lang})
    return forms.TextInput(attrs={"lang": lang})


class PlanForm(forms.Form):
    number = forms.IntegerField(
        label=_("Version number"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "input-number"}),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=150, widget=_text("en"))
    name_fr = forms.CharField(label=_("Name in French"), max_length=150, widget=_text("fr"))
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_original = forms.BooleanField(
        label=_("This is the original plan (progress is compared with it)"), required=False
    )
    is_current = forms.BooleanField(
        label=_("This is the current plan (the previous current plan is retired)"),
        required=False,
    )
    notes_en = forms.CharField(
        label=_("Notes in English"), required=False, widget=_text("en", 3), max_length=4000
    )
    notes_fr = forms.CharField(
        label=_("Notes in French"), required=False, widget=_text("fr", 3), max_length=4000
    )

    @classmethod
    def initial_for(cls, plan: PlanVersion) -> dict[str, Any]:
        return {name: getattr(plan, name) for name in cls.base_fields}

    def plan_data(self) -> PlanVersionData:
        data = self.cleaned_data
        return PlanVersionData(
            number=data["number"],
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            adopted_on=data["adopted_on"],
            is_original=data["is_original"],
            is_current=data["is_current"],
            notes_en=data["notes_en"],
            notes_fr=data["notes_fr"],
        )
