"""Forms of the submission workflow: the values grid and the reviewers' comments."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from collectif.core.files import parse_number
from collectif.core.formatting import format_number
from collectif.measurement.domain.cells import ExpectedCell
from collectif.measurement.domain.validation import CellValue, Problem
from collectif.measurement.models import Indicator


def field_name(indicator_code: str, breakdown: str) -> str:
    """A form field name (and so an HTML id) for one cell, readable in tests and URLs."""
    suffix = breakdown.replace(":", "-").replace("|", "--")
    return f"v-{indicator_code}" + (f"-{suffix}" if suffix else "")


@dataclass
class GridGroup:
    """The rows of one dimension in an indicator's grid (label "" for the total)."""

    label: str
    fields: list[forms.BoundField] = field(default_factory=list)


@dataclass
class Grid:
    indicator: Indicator
    groups: list[GridGroup] = field(default_factory=list)


class NumberField(forms.CharField):
    """A number typed as people do in either language: 1 234,5 or 1,234.5."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_number(text, decimal_comma=(get_language() or "").startswith("fr"))
        except ValueError:
            raise forms.ValidationError(
                _("Enter a number, like 1 234 or 12,5."), code="invalid"
            ) from None


class SubmissionValuesForm(forms.Form):
    """One field per expected cell; blank cells are simply not reported."""

    def __init__(
        self,
        *args: Any,
        cells: list[ExpectedCell],
        initial_values: dict[tuple[str, str], Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = {field_name(c.indicator.code, c.breakdown): c for c in cells}
        initial_values = initial_values or {}
        for name, cell in self.cells.items():
            label = (
                " – ".join(str(m.name) for m in cell.members)
                if cell.members
                else gettext_lazy("Total")
            )
            current = initial_values.get((cell.indicator.code, cell.breakdown))
            self.fields[name] = NumberField(
                label=label,
                required=False,
                initial=(
                    format_number(current, cell.indicator.decimals) if current is not None else ""
                ),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-number"}
                ),
            )

    def grids(self) -> list[Grid]:
        grids: dict[int, Grid] = {}
        for name, cell in self.cells.items():
            grid = grids.setdefault(cell.indicator.pk, Grid(cell.indicator))
            label = str(cell.members[0].dimension.name) if cell.members else ""
            if not grid.groups or grid.groups[-1].label != label:
                grid.groups.append(GridGroup(label))
            grid.groups[-1].fields.append(self[name])
        return list(grids.values())

    def cell_values(self) -> list[CellValue]:
        return [
            CellValue(cell.indicator.code, cell.breakdown, self.cleaned_data[name])
            for name, cell in self.cells.items()
            if self.cleaned_data.get(name) is not None
        ]

    def add_problems(self, problems: list[Problem]) -> None:
        """Show each problem beside its cell when it names one, else in the summary."""
        for problem in problems:
            if problem.severity != "error":
                continue
            name = self._name_for(problem.column or "")
            self.add_error(name, problem.message)

    def _name_for(self, column: str) -> str | None:
        code, _sep, breakdown = column.partition("/")
        name = field_name(code, breakdown)
        return name if name in self.fields else None


class CommentForm(forms.Form):
    """The reviewer's comment when returning a submission or the reason for reopening it."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["comment"].label = label
