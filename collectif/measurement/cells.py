"""The cells a dataset asks for: each indicator's total, then one cell per member of
each dimension it is broken down by. Forms, file templates and validation all use this
list, so they always agree on what a partner reports."""

from dataclasses import dataclass

from collectif.measurement.breakdowns import make_key
from collectif.measurement.models import Dataset, DimensionMember, Indicator


@dataclass(frozen=True)
class ExpectedCell:
    indicator: Indicator
    members: tuple[DimensionMember, ...]
    required: bool

    @property
    def breakdown(self) -> str:
        return make_key({m.dimension.code: m.code for m in self.members})


def expected_cells(dataset: Dataset) -> list[ExpectedCell]:
    cells: list[ExpectedCell] = []
    items = dataset.items.select_related("indicator").prefetch_related(
        "indicator__dimensions__members__dimension"
    )
    for item in items:
        indicator = item.indicator
        if indicator.is_computed:
            continue
        cells.append(ExpectedCell(indicator, (), item.required))
        for dimension in indicator.dimensions.all():
            for member in dimension.members.all():
                cells.append(ExpectedCell(indicator, (member,), False))
    return cells
