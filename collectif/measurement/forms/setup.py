"""Forms of the measurement setup pages (backbone staff define what is measured).

Model forms run the models' own checks (Indicator.clean, unique codes) while the form is
validated, so those errors appear beside the field like any other; the services check
again in their transaction, and `apply_errors` puts what they refuse on the form too.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from collectif.agenda.models import PlanVersion
from collectif.ecosystem.models import Organisation, Sector
from collectif.measurement.forms.submissions import NumberField
from collectif.measurement.models import (
    Dataset,
    Indicator,
    Period,
    ValidationRule,
)
from collectif.measurement.services.setup import TargetInput

LARGEST = Decimal(10) ** 14
CODE_HINT = _(
    "Used in files, templates and the API; it cannot be changed later. 2 to 40 lower-case "
    "letters, digits or underscores, e.g. active_mentors."
)


def apply_errors(form: forms.BaseForm, error: ValidationError, fallback: str | None = None) -> None:
    """Show a service's refusal on the form: beside the field it names when the form has
    it (or its English version, for a bilingual field), else at the top of the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(fallback if fallback in form.fields else None, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif f"{name}_en" in form.fields:
            form.add_error(f"{name}_en", errors)
        else:
            form.add_error(None, errors)


def _text(lang: str, rows: int = 0) -> forms.Widget:
    if rows:
        return forms.Textarea(attrs={"rows": rows, "lang": lang})
    return forms.TextInput(attrs={"lang": lang})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorChoiceField(forms.ModelChoiceField[Indicator]):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name} ({obj.code})"


class ChecksMagnitude:
    """Refuse numbers too large for the database, with a message rather than a crash."""

    def check_magnitude(self, form: forms.Form, name: str) -> None:
        value = form.cleaned_data.get(name)
        if isinstance(value, Decimal) and abs(value) >= LARGEST:
            form.add_error(name, _("This number is too large."))


class IndicatorForm(forms.ModelForm):
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
            "name_en": _text("en"),
            "name_fr": _text("fr"),
            "definition_en": _text("en", 4),
            "definition_fr": _text("fr", 4),
            "rationale_en": _text("en", 4),
            "rationale_fr": _text("fr", 4),
            "story_en": _text("en", 4),
            "story_fr": _text("fr", 4),
            "dimensions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        self.fields["name_fr"].required = True
        if self.instance.pk:
            del self.fields["code"]
        others = Indicator.objects.exclude(pk=self.instance.pk).order_by("position", "code")
        for name in ("weight_indicator", "numerator", "denominator"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = others

    def bilingual_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{name}_en"], self[f"{name}_fr"]) for name in self.BILINGUAL]


class DatasetForm(forms.ModelForm):
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
            "name_en": _text("en"),
            "name_fr": _text("fr"),
            "description_en": _text("en", 3),
            "description_fr": _text("fr", 3),
        }

    def __init__(
        self, *args: Any, indicators: list[Indicator], items: dict[int, Any], **kwargs: Any
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


class AssignmentForm(forms.Form):
    """The organisations ticked among those shown on the page; those shown but not ticked
    stop reporting the dataset, those not shown are left as they are."""

    organisations: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(archived_at__isnull=True), required=False
    )
    shown: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(archived_at__isnull=True), required=False
    )


class SectorAssignForm(forms.Form):
    sector: "forms.ModelChoiceField[Sector]" = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(is_active=True),
        empty_label=_("Choose a sector"),
        help_text=_("Every organisation of the sector that is not archived will report it."),
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search organisations"), required=False, max_length=100)
    sector: "forms.ModelChoiceField[Sector]" = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        empty_label=_("All sectors"),
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


class PeriodWindowForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Submissions open"),
        required=False,
        widget=_date(),
        help_text=_("The first day partners can send their data."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=_date(),
        help_text=_("After this day, partners that have not reported are shown as late."),
    )


class PeriodCreateForm(PeriodWindowForm):
    code = forms.CharField(
        label=_("Period code"),
        max_length=20,
        help_text=_(
            "A year (2026), a fiscal year (FY2026), a quarter (2026Q1) or a month (2026-03). "
            "The start and end dates follow from the code."
        ),
    )
    field_order = ["code", "opens_on", "deadline"]


class MemberForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,39}$",
        error_messages={
            "invalid": _("Use letters, digits, “-”, “+” or “_”, starting with a letter or digit.")
        },
        help_text=_(
            "Used in files and the API, e.g. 25-29 or newcomer; it cannot be changed later."
        ),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=100, widget=_text("en"))
    name_fr = forms.CharField(label=_("Name in French"), max_length=100, widget=_text("fr"))

    def __init__(self, *args: Any, renaming: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renaming:
            del self.fields["code"]


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = [
            "code",
            "left",
            "operator",
            "right",
            "severity",
            "message_en",
            "message_fr",
            "is_active",
        ]
        field_classes = {"left": IndicatorChoiceField, "right": IndicatorChoiceField}
        labels = {
            "left": _("This indicator"),
            "operator": _("must be"),
            "right": _("compared with this indicator"),
            "message_en": _("Message in English"),
            "message_fr": _("Message in French"),
            "is_active": _("In use: checked on every submission"),
        }
        help_texts = {
            "code": CODE_HINT,
            "left": _("The rule compares one organisation’s values for the same breakdown."),
            "severity": _("An error stops the submission; a warning only informs."),
            "message_en": _("What the partner sees, e.g. New matches cannot exceed mentors."),
        }
        widgets = {"message_en": _text("en"), "message_fr": _text("fr")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message_en"].required = True
        self.fields["message_fr"].required = True
        if self.instance.pk:
            del self.fields["code"]
        reportable = Indicator.objects.exclude(source=Indicator.Source.COMPUTED).order_by(
            "position", "code"
        )
        for name in ("left", "right"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = reportable


class PlanForm(forms.Form):
    number = forms.IntegerField(
        label=_("Version number"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "input-number"}),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=150, widget=_text("en"))
    name_fr = forms.CharField(label=_("Name in French"), max_length=150, widget=_text("fr"))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=_date())
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


class PlanTargetsForm(ChecksMagnitude, forms.Form):
    """The Canada baseline and one target per plan version and year, saved together."""

    baseline_period: "forms.ModelChoiceField[Period]" = forms.ModelChoiceField(
        label=_("Baseline period"),
        queryset=Period.objects.order_by("start", "kind"),
        required=False,
        empty_label=_("No baseline"),
        to_field_name="code",
    )
    baseline_value = NumberField(
        label=_("Baseline value"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-number"}),
        help_text=_("Leave the period and the value empty to have no baseline."),
    )
    baseline_source_en = forms.CharField(
        label=_("Source in English"), required=False, max_length=300, widget=_text("en")
    )
    baseline_source_fr = forms.CharField(
        label=_("Source in French"), required=False, max_length=300, widget=_text("fr")
    )

    def __init__(
        self, *args: Any, plans: list[PlanVersion], periods: list[Period], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plans, self.periods = plans, periods
        for plan in plans:
            for period in periods:
                self.fields[self.target_name(plan, period)] = NumberField(
                    label=_("Target for %(period)s in %(plan)s")
                    % {"period": period.code, "plan": plan.name},
                    required=False,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "input-number", "size": 8}
                    ),
                )

    @staticmethod
    def target_name(plan: PlanVersion, period: Period) -> str:
        return f"target_{plan.number}_{period.code}"

    def target_rows(self) -> list[tuple[PlanVersion, list[forms.BoundField]]]:
        return [
            (plan, [self[self.target_name(plan, period)] for period in self.periods])
            for plan in self.plans
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.fields:
            if name == "baseline_value" or name.startswith("target_"):
                self.check_magnitude(self, name)
        return cleaned

    def targets(self) -> list[TargetInput]:
        return [
            TargetInput(
                plan_version=plan,
                period=period,
                value=self.cleaned_data.get(self.target_name(plan, period)),
                field=self.target_name(plan, period),
            )
            for plan in self.plans
            for period in self.periods
        ]
