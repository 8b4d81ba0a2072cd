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


def row_name(cell: ExpectedCell) -> str:
    """A cell as a person names it: the indicator, then its breakdown in words."""
    if not cell.members:
        return _("%(indicator)s, total") % {"indicator": cell.indicator.name}
    return _("%(indicator)s, %(breakdown)s") % {
        "indicator": cell.indicator.name,
        "breakdown": " – ".join(str(m.name) for m in cell.members),
    }


def named(cell: ExpectedCell, message: str) -> str:
    """An error that says which row it is about, so fourteen alike errors differ.

    A message that starts with the indicator's name ("Young people served: ...") loses
    that start: the row's name says it already.
    """
    message = message.removeprefix(f"{cell.indicator.name}: ")
    return _("%(row)s: %(message)s") % {"row": row_name(cell), "message": message}


@dataclass
class GridGroup:
    """The rows of one dimension in an indicator's grid.

    `others` are the provinces and territories the organisation does not serve: still
    there, folded away. `adds_up` says whether the parts must add up to the total, so the
    page can add them up as the person types.
    """

    label: str
    fields: list[forms.BoundField] = field(default_factory=list)
    others: list[forms.BoundField] = field(default_factory=list)
    adds_up: bool = False

    @property
    def others_open(self) -> bool:
        """Unfold the other provinces when one of them holds a value or an error."""
        return any(f.errors or f.value() for f in self.others)


@dataclass
class Grid:
    indicator: Indicator
    total: forms.BoundField | None = None
    groups: list[GridGroup] = field(default_factory=list)


class NumberField(forms.CharField):
    """A number typed as people do in either language: 1 234,5 or 1,234.5.

    Given the form `cell` it stands for, its error names the row.
    """

    def __init__(self, *args: Any, cell: ExpectedCell | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cell = cell

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_number(text, decimal_comma=(get_language() or "").startswith("fr"))
        except ValueError:
            message = _("Enter a number, like 1 234 or 12,5.")
            if self.cell is not None:
                message = named(self.cell, message)
            raise forms.ValidationError(message, code="invalid") from None


class SubmissionValuesForm(forms.Form):
    """One field per expected cell; blank cells are simply not reported.

    `provinces` are the codes of the provinces and territories the organisation serves:
    their rows come first, the others are folded under one disclosure.
    """

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm these figures are complete and correct, and can be sent for approval."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        cells: list[ExpectedCell],
        initial_values: dict[tuple[str, str], Decimal] | None = None,
        provinces: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = {field_name(c.indicator.code, c.breakdown): c for c in cells}
        self.provinces = provinces
        initial_values = initial_values or {}
        for name, cell in self.cells.items():
            label = (
                " – ".join(str(m.name) for m in cell.members)
                if cell.members
                else gettext_lazy("Total")
            )
            current = initial_values.get((cell.indicator.code, cell.breakdown))
            self.fields[name] = NumberField(
                cell=cell,
                label=label,
                required=False,
                initial=(
                    format_number(current, cell.indicator.decimals) if current is not None else ""
                ),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-number"}
                ),
            )

    def _folded(self, cell: ExpectedCell) -> bool:
        """A province the organisation does not serve."""
        member = cell.members[0]
        return member.dimension.is_province and member.code not in self.provinces

    def grids(self) -> list[Grid]:
        grids: dict[int, Grid] = {}
        sums = Indicator.Aggregation.SUM
        for name, cell in self.cells.items():
            grid = grids.setdefault(cell.indicator.pk, Grid(cell.indicator))
            if not cell.members:
                grid.total = self[name]
                continue
            dimension = cell.members[0].dimension
            if not grid.groups or grid.groups[-1].label != str(dimension.name):
                adds_up = dimension.adds_up and cell.indicator.aggregation == sums
                grid.groups.append(GridGroup(str(dimension.name), adds_up=adds_up))
            group = grid.groups[-1]
            (group.others if self._folded(cell) else group.fields).append(self[name])
        return list(grids.values())

    def cell_values(self) -> list[CellValue]:
        return [
            CellValue(cell.indicator.code, cell.breakdown, self.cleaned_data[name])
            for name, cell in self.cells.items()
            if self.cleaned_data.get(name) is not None
        ]

    def refuse_unconfirmed(self) -> bool:
        """Whether sending must wait: the person has not ticked the confirmation."""
        if self.cleaned_data.get("confirm"):
            return False
        self.add_error(
            "confirm",
            _("Tick the box to confirm before you send the report, or save it as a draft."),
        )
        return True

    def add_problems(self, problems: list[Problem]) -> None:
        """Show each problem beside its cell when it names one, else in the summary."""
        for problem in problems:
            if problem.severity != "error":
                continue
            name = self._name_for(problem.column or "")
            if name is None:
                self.add_error(None, problem.message)
            else:
                self.add_error(name, named(self.cells[name], problem.message))

    def _name_for(self, column: str) -> str | None:
        code, _sep, breakdown = column.partition("/")
        name = field_name(code, breakdown)
        return name if name in self.cells else None


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
