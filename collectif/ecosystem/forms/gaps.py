"""The gap target form: which cells, and what they must hold; checks left to the service."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.core.models import Province
from collectif.ecosystem.domain.gaps import FORWARD_STAGES
from collectif.ecosystem.forms.organisations import ProvinceChoiceField, SectorChoiceField
from collectif.ecosystem.models import GapAxis, GapTarget, PopulationGroup, Sector
from collectif.ecosystem.selectors import gaps as selectors
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.services.gaps import GapTargetData


class PopulationGroupChoiceField(forms.ModelChoiceField[PopulationGroup]):
    def label_from_instance(self, obj: PopulationGroup) -> str:
        return obj.name


class GapTargetForm(forms.Form):
    axis = forms.ChoiceField(
        label=_("Matrix"),
        choices=GapAxis.choices,
        widget=forms.RadioSelect,
        initial=GapAxis.PROVINCE,
    )
    sector = SectorChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("Every sector"),
    )
    province = ProvinceChoiceField(
        label=_("Province or territory"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Every province and territory"),
        help_text=_("For the provinces matrix only."),
    )
    population_group = PopulationGroupChoiceField(
        label=_("Population group"),
        queryset=PopulationGroup.objects.none(),
        required=False,
        empty_label=_("Every population group"),
        help_text=_("For the population groups matrix only."),
    )
    minimum_count = forms.IntegerField(
        label=_("At least this many organisations"),
        min_value=1,
        max_value=999,
        initial=1,
    )
    minimum_stage = forms.ChoiceField(
        label=_("At this stage or beyond"),
        choices=[(stage.value, stage.label) for stage in FORWARD_STAGES],
        initial=FORWARD_STAGES[-1].value,
    )

    def __init__(self, *args: Any, target: GapTarget | None = None, **kwargs: Any) -> None:
        if target is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "axis": target.axis,
                "sector": target.sector_id,
                "province": target.province_id,
                "population_group": target.population_group_id,
                "minimum_count": target.minimum_count,
                "minimum_stage": target.minimum_stage,
            }
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = organisation_selectors.sector_list()  # type: ignore[attr-defined]
        self.fields["province"].queryset = organisation_selectors.province_choices()  # type: ignore[attr-defined]
        self.fields["population_group"].queryset = selectors.population_group_choices()  # type: ignore[attr-defined]

    def target_data(self) -> GapTargetData:
        data = self.cleaned_data
        return GapTargetData(
            axis=data["axis"],
            sector=data["sector"],
            province=data["province"],
            population_group=data["population_group"],
            minimum_stage=data["minimum_stage"],
            minimum_count=data["minimum_count"],
        )
