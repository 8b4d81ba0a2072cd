"""The form of the baseline and targets page: one post for the whole table."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.agenda.models import PlanVersion
from collectif.measurement.forms._widgets import text_input
from collectif.measurement.forms.submissions import NumberField
from collectif.measurement.models import Period
from collectif.measurement.selectors.periods import periods_in_order
from collectif.measurement.services.targets import TargetInput

LARGEST = Decimal(10) ** 14


class PlanTargetsForm(forms.Form):
    """The Canada baseline and one target per plan version and year, saved together."""

    baseline_period: "forms.ModelChoiceField[Period]" = forms.ModelChoiceField(
        label=_("Baseline period"),
        queryset=periods_in_order(),
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
        label=_("Source in English"), required=False, max_length=300, widget=text_input("en")
    )
    baseline_source_fr = forms.CharField(
        label=_("Source in French"), required=False, max_length=300, widget=text_input("fr")
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
                    % {"period": period.label, "plan": plan.name},
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
        """Refuse numbers too large for the database, with a message rather than a crash."""
        cleaned = super().clean() or {}
        for name in self.fields:
            if name == "baseline_value" or name.startswith("target_"):
                value = cleaned.get(name)
                if isinstance(value, Decimal) and abs(value) >= LARGEST:
                    self.add_error(name, _("This number is too large."))
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
