"""The organisation form: both languages side by side, checks left to the service."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.core.models import Province
from collectif.ecosystem.models import (
    EquityIdentity,
    Organisation,
    PopulationGroup,
    Sector,
    SizeBand,
)
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.services.organisations import DESCRIPTION_MAX_LENGTH, OrganisationData

NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length


class SectorChoiceField(forms.ModelChoiceField[Sector]):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class ProvinceChoiceField(forms.ModelChoiceField[Province]):
    def label_from_instance(self, obj: Province) -> str:
        return obj.name


class ProvincesChoiceField(forms.ModelMultipleChoiceField[Province]):
    def label_from_instance(self, obj: Province) -> str:
        return obj.name


class NamedChoicesField(forms.ModelMultipleChoiceField[Any]):
    """Checkboxes labelled with each row's name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OrganisationForm(forms.Form):
    name_en = forms.CharField(
        label=_("Name (English)"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "en", "autocomplete": "organization"}),
    )
    name_fr = forms.CharField(
        label=_("Name (French)"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "fr", "autocomplete": "organization"}),
        help_text=_("Fill in at least one of the two names."),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"lang": "en", "rows": 4}),
    )
    description_fr = forms.CharField(
        label=_("Description (French)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"lang": "fr", "rows": 4}),
    )
    sector = SectorChoiceField(
        label=_("Sector"), queryset=Sector.objects.none(), empty_label=_("Choose a sector")
    )
    head_office_province = ProvinceChoiceField(
        label=_("Head office province or territory"),
        queryset=Province.objects.none(),
        empty_label=_("Choose a province or territory"),
    )
    provinces_served = ProvincesChoiceField(
        label=_("Provinces and territories served"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every province or territory where it runs programs or funds work."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("For example, https://www.example.org"),
    )
    size_band = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("Not known")), *SizeBand.choices],
    )
    populations_served = NamedChoicesField(
        label=_("Young people it serves"),
        queryset=PopulationGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the groups its programs are designed for or reach on purpose."),
    )
    equity_identities = NamedChoicesField(
        label=_("The organisation identifies as"),
        queryset=EquityIdentity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only what the organisation says of itself, for example Indigenous-led or "
            "youth-led. These are shown on its public page."
        ),
    )
    is_public = forms.BooleanField(
        label=_("List it on the public site and in the open API"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        if organisation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **selectors.translated_values(organisation),
                "sector": organisation.sector_id,
                "head_office_province": organisation.head_office_province_id,
                "provinces_served": [p.pk for p in organisation.provinces_served.all()],
                "website": organisation.website,
                "size_band": organisation.size_band,
                "is_public": organisation.is_public,
                "populations_served": [p.pk for p in organisation.populations_served.all()],
                "equity_identities": [e.pk for e in organisation.equity_identities.all()],
            }
        super().__init__(*args, **kwargs)
        # An organisation keeps its sector even after staff retire that sector.
        self.fields["sector"].queryset = selectors.sector_choices(  # type: ignore[attr-defined]
            keep_pk=organisation.sector_id if organisation is not None else None
        )
        provinces = selectors.province_choices()
        self.fields["head_office_province"].queryset = provinces  # type: ignore[attr-defined]
        self.fields["provinces_served"].queryset = provinces  # type: ignore[attr-defined]
        # A retired group or identity stays ticked on the organisations that have it.
        initial = self.initial if organisation is not None else {}
        self.fields["populations_served"].queryset = selectors.population_choices(  # type: ignore[attr-defined]
            keep=tuple(initial.get("populations_served", ()))
        )
        self.fields["equity_identities"].queryset = selectors.equity_choices(  # type: ignore[attr-defined]
            keep=tuple(initial.get("equity_identities", ()))
        )

    def organisation_data(self) -> OrganisationData:
        """The valid form as the services take it."""
        data = self.cleaned_data
        return OrganisationData(
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            description_en=data["description_en"],
            description_fr=data["description_fr"],
            sector=data["sector"],
            head_office_province=data["head_office_province"],
            provinces_served=tuple(data["provinces_served"]),
            website=data["website"],
            size_band=data["size_band"],
            is_public=data["is_public"],
            populations_served=tuple(data["populations_served"]),
            equity_identities=tuple(data["equity_identities"]),
        )
