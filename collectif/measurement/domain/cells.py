"""The cells a dataset asks for: each indicator's total, then one cell per member of
each dimension it is broken down by. Forms, file templates and validation all use this
list, so they always agree on what a partner reports."""

from dataclasses import dataclass

from collectif.measurement.domain.breakdowns import make_key
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


def expected_keys(dataset: Dataset) -> dict[str, dict[str, bool]]:
    """The cells of `expected_cells` as lookups: indicator code → {breakdown: required}.

    Checking a file of a hundred thousand cells needs dictionary lookups rather than a
    list of cells each building its key: a member's key is built once and shared by every
    indicator broken down by its dimension. Same cells, same order as `expected_cells`.
    """
    keys: dict[str, dict[str, bool]] = {}
    member_keys: dict[int, str] = {}
    items = dataset.items.select_related("indicator").prefetch_related(
        "indicator__dimensions__members"
    )
    for item in items:
        indicator = item.indicator
        if indicator.is_computed:
            continue
        breakdowns = keys.setdefault(indicator.code, {})
        breakdowns.setdefault("", item.required)
        for dimension in indicator.dimensions.all():
            for member in dimension.members.all():
                key = member_keys.get(member.pk)
                if key is None:
                    key = member_keys[member.pk] = make_key({dimension.code: member.code})
                breakdowns.setdefault(key, False)
    return keys
