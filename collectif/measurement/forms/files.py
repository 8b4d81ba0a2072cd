"""The upload form: which dataset, which period, which file."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.core.files import MEGABYTE, upload_limit
from collectif.core.formatting import format_number
from collectif.ecosystem.models import Organisation
from collectif.measurement.models import Dataset, Period
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.selectors.submissions import PERIOD_KINDS

# The most recent periods offered in the upload form.
PERIOD_CHOICES = 24


def period_kinds(frequency: str) -> list[str]:
    """The kinds of period a dataset reported at this frequency is reported for."""
    return [str(kind) for key, kinds in PERIOD_KINDS.items() if key == frequency for kind in kinds]


def _period_label(period: Period) -> str:
    return period.label


class UploadForm(forms.Form):
    dataset: "forms.ModelChoiceField[Dataset]" = forms.ModelChoiceField(
        label=gettext_lazy("Dataset"),
        queryset=Dataset.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    period: "forms.ModelChoiceField[Period]" = forms.ModelChoiceField(
        label=gettext_lazy("Period the data covers"),
        queryset=Period.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    file = forms.FileField(label=gettext_lazy("File"))
    submit = forms.BooleanField(
        label=gettext_lazy("Send for approval once the file is imported"),
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        datasets = selectors.datasets_reported_by(organisation=organisation)
        self.datasets = list(datasets)
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]
        kinds = {kind for d in self.datasets for kind in period_kinds(d.frequency)}
        self.fields["period"].queryset = selectors.period_choices(  # type: ignore[attr-defined]
            kinds=kinds, today=timezone.localdate(), limit=PERIOD_CHOICES
        )
        self.fields["period"].label_from_instance = _period_label  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "The filled-in template: CSV or Excel workbook (.xlsx), up to %(limit)s MB."
        ) % {"limit": format_number(upload_limit() / MEGABYTE, decimals=0)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset, period = data.get("dataset"), data.get("period")
        if dataset and period and period.kind not in period_kinds(dataset.frequency):
            self.add_error(
                "period",
                _(
                    "%(dataset)s is not reported for this kind of period. Choose a period "
                    "that matches its frequency (%(frequency)s)."
                )
                % {"dataset": dataset, "frequency": dataset.get_frequency_display().lower()},
            )
        return data
