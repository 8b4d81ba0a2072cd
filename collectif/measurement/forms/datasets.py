"""Forms of the dataset setup pages: a dataset, its indicators, and who reports it."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from collectif.ecosystem.models import Organisation, Sector
from collectif.measurement.forms._widgets import CODE_HINT, text_input
from collectif.measurement.models import Dataset, DatasetIndicator, Indicator
from collectif.measurement.selectors.datasets import active_sectors, assignable_organisations
from collectif.measurement.services.datasets import DatasetData


class DatasetForm(forms.ModelForm[Dataset]):
    """The dataset and, for every indicator partners can report, whether it is asked
    for, in which order and whether it is required."""

    class Meta:
        model = Dataset
        fields = [
            "code",
            "name_en",
            "name_fr",
            "description_en",
            "description_fr",
            "frequency",
            "is_active",
        ]
        labels = {
            "name_en": _("Name in English"),
            "name_fr": _("Name in French"),
            "description_en": _("Description in English"),
            "description_fr": _("Description in French"),
            "is_active": _("In use: assigned organisations report it"),
        }
        help_texts = {"code": CODE_HINT}
        widgets = {
            "name_en": text_input("en"),
            "name_fr": text_input("fr"),
            "description_en": text_input("en", 3),
            "description_fr": text_input("fr", 3),
        }

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        items: dict[int, DatasetIndicator],
        **kwargs: Any,
    ) -> None:
        """`items` maps an indicator id to its current DatasetIndicator."""
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        self.fields["name_fr"].required = True
        if self.instance.pk:
            del self.fields["code"]
        self.indicators = indicators
        for indicator in indicators:
            item = items.get(indicator.pk)
            self.fields[f"use_{indicator.pk}"] = forms.BooleanField(
                label=_("Ask for %(indicator)s") % {"indicator": indicator.name},
                required=False,
                initial=item is not None,
            )
            self.fields[f"pos_{indicator.pk}"] = forms.IntegerField(
                label=_("Order of %(indicator)s") % {"indicator": indicator.name},
                required=False,
                min_value=1,
                max_value=999,
                initial=item.position if item is not None else None,
                widget=forms.NumberInput(attrs={"class": "input-number"}),
            )
            self.fields[f"req_{indicator.pk}"] = forms.BooleanField(
                label=_("%(indicator)s is required") % {"indicator": indicator.name},
                required=False,
                initial=item.required if item is not None else True,
            )

    def item_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "indicator": indicator,
                "use": self[f"use_{indicator.pk}"],
                "position": self[f"pos_{indicator.pk}"],
                "required": self[f"req_{indicator.pk}"],
            }
            for indicator in self.indicators
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"use_{i.pk}") for i in self.indicators):
            raise ValidationError(
                _("Choose at least one indicator for partners to report."), code="empty"
            )
        return cleaned

    def items(self) -> list[tuple[Indicator, bool]]:
        """The chosen indicators in the order given (unnumbered ones last, as listed)."""
        chosen = [
            (self.cleaned_data.get(f"pos_{indicator.pk}") or 1000, index, indicator)
            for index, indicator in enumerate(self.indicators)
            if self.cleaned_data.get(f"use_{indicator.pk}")
        ]
        return [
            (indicator, bool(self.cleaned_data.get(f"req_{indicator.pk}")))
            for _position, _index, indicator in sorted(chosen, key=lambda row: row[:2])
        ]

    def dataset_data(self) -> DatasetData:
        """What the valid form says about the dataset itself, for the services."""
        data = self.cleaned_data
        return DatasetData(
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            description_en=data["description_en"],
            description_fr=data["description_fr"],
            frequency=data["frequency"],
            is_active=data["is_active"],
        )


class AssignmentForm(forms.Form):
    """The organisations ticked among those shown on the page; those shown but not ticked
    stop reporting the dataset, those not shown are left as they are."""

    organisations: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        queryset=assignable_organisations(), required=False
    )
    shown: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        queryset=assignable_organisations(), required=False
    )


class SectorAssignForm(forms.Form):
    sector: "forms.ModelChoiceField[Sector]" = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=active_sectors(),
        empty_label=_("Choose a sector"),
        help_text=_("Every organisation of the sector that is not archived will report it."),
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search organisations"), required=False, max_length=100)
    sector: "forms.ModelChoiceField[Sector]" = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=active_sectors(),
        required=False,
        empty_label=_("All sectors"),
    )
