"""The figures researchers may take away: every published cell, with the public's rules.

A researcher studies the movement's results, not one partner's: they read approved
values aggregated by region (Canada and each province or territory), breakdown member
and period, from the Rollup table, with exactly the cells hidden that the public report
card and the open API hide (decision 0026). One indicator is read at a time, in two
queries, so an export of every indicator keeps memory flat.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from collectif.core.models import Province
from collectif.measurement.domain.results import (
    Cell,
    figure_for,
    input_ids,
    rounded,
    series_periods,
)
from collectif.measurement.models import CANADA, Indicator, Period, Rollup
from collectif.measurement.selectors.disclosure import public_readings


@dataclass(frozen=True)
class ResearchFigure:
    """One published cell; `value` and `organisations` are None when it is hidden."""

    indicator: Indicator
    period: Period
    region: str
    member: str
    value: Decimal | None
    organisations: int | None
    reason: str

    @property
    def suppressed(self) -> bool:
        return bool(self.reason)


def research_indicators(*, code: str | None = None) -> QuerySet[Indicator]:
    """Published indicators only: what is internal to the backbone stays internal."""
    queryset = Indicator.objects.select_related("numerator", "denominator").filter(
        is_published=True
    )
    if code is not None:
        queryset = queryset.filter(code=code)
    return queryset.order_by("code")


def _region_order() -> dict[str, int]:
    """Canada first, then the provinces and territories in the usual (SGC) order."""
    codes = [CANADA, *Province.objects.values_list("code", flat=True)]
    return {code: position for position, code in enumerate(codes)}


def research_figures(
    indicator: Indicator,
    *,
    start: date | None = None,
    end: date | None = None,
    regions: dict[str, int] | None = None,
) -> list[ResearchFigure]:
    """Every non-empty cell of the indicator's series, by period, region and member."""
    order = regions if regions is not None else _region_order()
    cells = set(
        Rollup.objects.filter(indicator_id__in=input_ids([indicator]))
        .values_list("region", "member")
        .distinct()
    )
    rollups, hidden = public_readings([indicator], cells=cells)
    periods = [
        p
        for p in series_periods(indicator, rollups)
        if (start is None or p.start >= start) and (end is None or p.end <= end)
    ]
    ordered = sorted(cells, key=lambda cell: (order.get(cell[0], len(order)), cell[0], cell[1]))
    found = []
    for period in periods:
        for region, member in ordered:
            figure = figure_for(indicator, Cell(period, region, member), rollups, hidden=hidden)
            if figure.value is None:
                continue
            found.append(
                ResearchFigure(
                    indicator=indicator,
                    period=period,
                    region=region,
                    member=member,
                    value=None if figure.suppressed else rounded(figure.value, indicator),
                    organisations=None if figure.suppressed else figure.organisations,
                    reason=str(figure.reason),
                )
            )
    return found


def all_research_figures() -> Iterator[ResearchFigure]:
    """Every published indicator's figures, one indicator in memory at a time."""
    order = _region_order()
    for indicator in research_indicators():
        yield from research_figures(indicator, regions=order)
