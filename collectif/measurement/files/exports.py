"""Approved values in long format, as CSV or XLSX, streamed so memory stays flat.

One row per reported value: organisation, indicator, period, one column per dimension
(the member's code, empty when the value is not broken down by it), and the value.
Only approved data leaves the platform. Values are read with a database iterator and
names come from small look-up tables loaded once, so a million rows cost no more
memory than a thousand.

Every text cell goes through `collectif.core.spreadsheets.neutralise`, the one guard
against formula injection: text a partner typed never runs in a reader's spreadsheet,
and numbers stay numbers (a negative value is data, not a formula).

The XLSX is streamed by `core.xlsx_stream`, each distinct name or code made into its
cell once: general writers work cell by cell and took over a minute for a million
values (decision 0028).
"""

import csv
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar

from django.utils import translation
from django.utils.translation import gettext as _

from collectif.core.formatting import csv_delimiter, csv_number
from collectif.core.spreadsheets import neutralise
from collectif.core.xlsx_stream import XlsxStream, number_cell, text_cell
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.breakdowns import parse_key
from collectif.measurement.models import Dimension, Indicator, Period
from collectif.measurement.selectors.results import approved_values

CHUNK_SIZE = 5000
BOM = "\ufeff"

T = TypeVar("T")


def _name(obj: Any, field: str, language: str) -> str:
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, field, "") or "")


def headers(language: str, dimensions: list[Dimension]) -> list[str]:
    with translation.override(language):
        return [
            _("Organisation (short name)"),
            _("Organisation"),
            _("Indicator code"),
            _("Indicator"),
            _("Period"),
            *[_name(d, "name", language) for d in dimensions],
            _("Value"),
        ]


def rows(
    language: str, text: Callable[[str], T], number: Callable[[Decimal], T]
) -> Iterator[list[T]]:
    """The header row, then every approved value, text cells neutralised.

    Each distinct text goes through `text` once (a few thousand names and codes, not
    millions of cells), so a format's writer can prepare its cells there.
    """
    dimensions = list(Dimension.objects.all())
    yield [text(neutralise(h)) for h in headers(language, dimensions)]
    organisations = {
        o.pk: (text(neutralise(o.slug)), text(neutralise(_name(o, "name", language))))
        for o in Organisation.objects.all()
    }
    indicators = {
        i.pk: (text(neutralise(i.code)), text(neutralise(_name(i, "name", language))))
        for i in Indicator.objects.all()
    }
    periods = {pk: text(neutralise(code)) for pk, code in Period.objects.values_list("pk", "code")}
    codes = [d.code for d in dimensions]
    # A breakdown's cells, worked out once per key: there are a few dozen keys, not millions.
    members: dict[str, list[T]] = {}
    values = (
        approved_values()
        .order_by("pk")
        .values_list("organisation_id", "indicator_id", "period_id", "breakdown", "value")
    )
    for organisation_id, indicator_id, period_id, breakdown, value in values.iterator(
        chunk_size=CHUNK_SIZE
    ):
        cells = members.get(breakdown)
        if cells is None:
            parsed = parse_key(breakdown)
            cells = members[breakdown] = [text(neutralise(parsed.get(code, ""))) for code in codes]
        yield [
            *organisations[organisation_id],
            *indicators[indicator_id],
            periods[period_id],
            *cells,
            number(value),
        ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(language: str) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark so Excel reads UTF-8."""
    writer = csv.writer(_Echo(), delimiter=csv_delimiter(language))
    first = True
    for row in rows(language, str, lambda value: csv_number(value, language)):
        line: str = writer.writerow(row)
        yield (BOM + line) if first else line
        first = False


PROGRESS_EVERY = 10_000


def _advance(progress: Callable[[int], object] | None, count: int) -> None:
    if progress is not None and count and count % PROGRESS_EVERY == 0:
        progress(PROGRESS_EVERY)


def write_csv(
    stream: IO[str], language: str, progress: Callable[[int], object] | None = None
) -> int:
    """Write the CSV to an open text file; returns the number of value rows."""
    count = -1
    for line in csv_lines(language):
        stream.write(line)
        count += 1
        _advance(progress, count)
    return count


def write_xlsx(
    path: Path | str | IO[bytes], language: str, progress: Callable[[int], object] | None = None
) -> int:
    """Write the XLSX row by row, streamed to the file (`core.xlsx_stream`); returns the
    number of value rows."""
    with translation.override(language):
        name = _("Approved values")
    count = -1
    with XlsxStream(path, name) as sheet:
        for row in rows(language, text_cell, number_cell):
            count += 1
            sheet.row(row)
            _advance(progress, count)
    return count
