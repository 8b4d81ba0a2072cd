"""The researchers' file: published figures by region, breakdown and period, as CSV or XLSX.

One row per cell that has data: indicator, period, region, one column per dimension (the
member's code, empty for a total), the value rounded as the pages print it, how many
organisations it adds up, and, for a hidden cell, why it is hidden instead of its value
(decision 0026). Text cells go through `neutralise`, as in every file Collectif writes.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from collectif.core.formatting import csv_delimiter, csv_number
from collectif.core.spreadsheets import neutralise
from collectif.measurement.domain.breakdowns import parse_key
from collectif.measurement.files.exports import BOM
from collectif.measurement.models import Dimension
from collectif.measurement.selectors.research import ResearchFigure, all_research_figures

Cell = str | int | Decimal


def _name(obj: object, field: str, language: str) -> str:
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, field, "") or "")


def headers(language: str, dimensions: list[Dimension]) -> list[str]:
    with translation.override(language):
        return [
            _("Indicator code"),
            _("Indicator"),
            _("Period"),
            _("Region"),
            *[_name(d, "name", language) for d in dimensions],
            _("Value"),
            _("Organisations"),
            _("Suppressed"),
        ]


def rows(language: str, figures: Iterable[ResearchFigure] | None = None) -> Iterator[list[Cell]]:
    """The header row, then one row per figure, text neutralised."""
    # A province is the Region column: rollups keep provinces as regions, not members.
    dimensions = list(Dimension.objects.filter(is_province=False).order_by("code"))
    yield [neutralise(h) for h in headers(language, dimensions)]
    codes = [d.code for d in dimensions]
    with translation.override(language):
        for figure in all_research_figures() if figures is None else figures:
            members = parse_key(figure.member)
            yield [
                neutralise(figure.indicator.code),
                neutralise(_name(figure.indicator, "name", language)),
                neutralise(figure.period.code),
                neutralise(figure.region),
                *[neutralise(members.get(code, "")) for code in codes],
                "" if figure.value is None else figure.value,
                "" if figure.organisations is None else figure.organisations,
                neutralise(figure.reason),
            ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(language: str) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark so Excel reads UTF-8."""
    writer = csv.writer(_Echo(), delimiter=csv_delimiter(language))
    first = True
    for row in rows(language):
        line: str = writer.writerow(
            [csv_number(c, language) if isinstance(c, Decimal) else c for c in row]
        )
        yield (BOM + line) if first else line
        first = False


def write_xlsx(stream: IO[bytes], language: str) -> None:
    """Written with openpyxl's write-only mode: rows go straight to the file."""
    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(title=_("Published figures")[:31])
    for row in rows(language):
        sheet.append(row)
    workbook.save(stream)
