"""Forms for ties and their types; the rules a tie follows are the service's to check."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from collectif.ecosystem.models import Organisation, Relationship, RelationshipType, Strength
from collectif.ecosystem.selectors import relationships as selectors
from collectif.ecosystem.services.relationships import (
    NOTE_MAX_LENGTH,
    RelationshipData,
    RelationshipTypeData,
)

TYPE_NAME_MAX_LENGTH = RelationshipType._meta.get_field("name").max_length


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    """An organisation by name with its head office, so two namesakes can be told apart."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.head_office_province_id})"


class TypeChoiceField(forms.ModelChoiceField[RelationshipType]):
    def label_from_instance(self, obj: RelationshipType) -> str:
        return obj.name


class RelationshipForm(forms.Form):
    source = OrganisationChoiceField(
        label=pgettext_lazy("relationship", "From"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    type = TypeChoiceField(
        label=_("Relationship"),
        queryset=RelationshipType.objects.none(),
        empty_label=_("Choose a type of relationship"),
        help_text=_("Read it as a sentence: the first organisation funds the second, and so on."),
    )
    target = OrganisationChoiceField(
        label=pgettext_lazy("relationship", "To"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    strength = forms.TypedChoiceField(
        label=_("Strength"),
        choices=Strength.choices,
        coerce=int,
        initial=Strength.MODERATE,
    )
    started_on = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if you do not know."),
    )
    ended_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a relationship that has ended."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        relationship: Relationship | None = None,
        source: Organisation | None = None,
        **kwargs: Any,
    ):
        if relationship is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "source": relationship.source_id,
                "target": relationship.target_id,
                "type": relationship.type_id,
                "strength": relationship.strength,
                "started_on": relationship.started_on,
                "ended_on": relationship.ended_on,
                "note": relationship.note,
            }
        elif source is not None and "initial" not in kwargs:
            kwargs["initial"] = {"source": source.pk}
        super().__init__(*args, **kwargs)
        keep = (relationship.source_id, relationship.target_id) if relationship else ()
        organisations = selectors.organisation_choices(keep_pks=keep)
        self.fields["source"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["target"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["type"].queryset = selectors.relationship_type_choices(  # type: ignore[attr-defined]
            keep_pk=relationship.type_id if relationship else None
        )

    def relationship_data(self) -> RelationshipData:
        data = self.cleaned_data
        return RelationshipData(
            source=data["source"],
            target=data["target"],
            type=data["type"],
            strength=data["strength"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            note=data["note"],
        )


class RelationshipTypeForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short word files use for this type, such as “mentors”. It cannot change."),
    )
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=TYPE_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "en"}),
        help_text=_("As the middle of a sentence: “refers young people to”."),
    )
    name_fr = forms.CharField(
        label=_("Name (French)"),
        max_length=TYPE_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "fr"}),
    )
    is_directed = forms.BooleanField(
        label=_("It goes one way (like “funds”), not both ways (like “partners with”)"),
        required=False,
        initial=True,
    )
    is_active = forms.BooleanField(
        label=_("Offer it when recording relationships"),
        required=False,
        initial=True,
        help_text=_("Untick to retire a type: the relationships that have it keep it."),
    )
    position = forms.IntegerField(label=_("Position in lists"), min_value=0, initial=0)

    def __init__(
        self, *args: Any, relationship_type: RelationshipType | None = None, **kwargs: Any
    ):
        if relationship_type is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": relationship_type.code,
                "name_en": relationship_type.name_en,  # type: ignore[attr-defined]
                "name_fr": relationship_type.name_fr,  # type: ignore[attr-defined]
                "is_directed": relationship_type.is_directed,
                "is_active": relationship_type.is_active,
                "position": relationship_type.position,
            }
        super().__init__(*args, **kwargs)
        if relationship_type is not None:
            # The code names the type in files and the API: it stays.
            self.fields["code"].disabled = True

    def type_data(self) -> RelationshipTypeData:
        data = self.cleaned_data
        return RelationshipTypeData(
            code=data["code"],
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            is_directed=data["is_directed"],
            is_active=data["is_active"],
            position=data["position"],
        )


class RelationshipImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV or Excel (.xlsx) file with the columns From, To and Type (or De, À, Type); "
            "Strength, Start, End and Note are optional."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
