"""The public's reads of the movement's figures: whole slices, in one query.

Whether a cell may be shown depends on every cell it adds up with (decision 0022), so a
public page reads every region and member of the slices it shows, however few cells it
prints. Those rows are read as plain tuples, which costs a fraction of building model
objects; only the cells the page prints become `Rollup` objects with their period.
"""

from collections.abc import Iterable

from collectif.measurement.domain.results import (
    CELL_COLUMNS,
    CellRow,
    Hidden,
    RollupKey,
    Rollups,
    StoredCell,
    hidden_cells,
    input_ids,
    input_indicators,
)
from collectif.measurement.models import Indicator, Period, Rollup

PERIOD_COLUMNS = tuple(f.attname for f in Period._meta.concrete_fields)


def public_readings(
    indicators: list[Indicator],
    *,
    cells: set[tuple[str, str]],
    period_ids: Iterable[int] | None = None,
) -> tuple[Rollups, Hidden]:
    """The rollups of these (region, member) cells, and every cell the public may not see.

    One query, whatever the number of cells read.
    """
    queryset = Rollup.objects.filter(indicator_id__in=input_ids(indicators))
    if period_ids is not None:
        queryset = queryset.filter(period_id__in=set(period_ids))
    rows = queryset.values_list(
        "indicator_id",
        "period_id",
        "region",
        "member",
        *CELL_COLUMNS,
        *(f"period__{column}" for column in PERIOD_COLUMNS),
    )
    whole: dict[RollupKey, StoredCell] = {}
    asked: Rollups = {}
    periods: dict[int, Period] = {}
    width = 4 + len(CELL_COLUMNS)
    for row in rows:
        key: RollupKey = (row[0], row[1], row[2], row[3])
        cell = CellRow(*row[4:width])
        whole[key] = cell
        if (key[2], key[3]) in cells:
            if key[1] not in periods:
                periods[key[1]] = Period.from_db(None, list(PERIOD_COLUMNS), row[width:])
            asked[key] = Rollup(
                indicator_id=key[0],
                period=periods[key[1]],
                region=key[2],
                member=key[3],
                **{column: getattr(cell, column) for column in CELL_COLUMNS},
            )
    return asked, hidden_cells(whole, input_indicators(indicators))
