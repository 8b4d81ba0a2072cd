"""Checking a file's rows a batch at a time, column by column: how `rows.py` reads a file.

A partner file of a hundred thousand rows is nearly all right, so checking it row by row,
cell by cell, spends its time proving good cells good. Here each column of a batch is
read at once: each distinct indicator code, name and member text is looked up once per
file, the value column is parsed in one call, and ranges are checked for the whole
column. Only a row that fails a check goes through `rows._RowReader.check`, which writes
its problems exactly as a row-by-row reading does, so the messages, their rows and
columns, and their order are the same whichever way the file is read.
"""

from typing import TYPE_CHECKING

from collectif.core.files import Row, normalise_header, parse_numbers
from collectif.measurement.domain.validation import MAX_MAGNITUDE, CellValue, range_problem
from collectif.measurement.models import Indicator

if TYPE_CHECKING:
    from collectif.measurement.files.rows import _RowReader

# Rows checked together: large enough for whole-column work to pay, small enough that a
# batch's text is a few megabytes at most.
BATCH_ROWS = 5000
# Up to 14 digits, a whole number is below MAX_MAGNITUDE (10^14).
PLAIN_DIGITS = len(str(MAX_MAGNITUDE))


def _plainly_in_range(text: str) -> bool:
    """Whether a plain whole number is within range for any unit but percentages: most
    cells of a file are, and need no `range_problem`."""
    return len(text) < PLAIN_DIGITS and text.isdigit() and text.isascii()


class BatchChecker:
    """Checks the rows of one file batch after batch, into its `_RowReader`'s cells."""

    def __init__(self, reader: "_RowReader") -> None:
        self.reader = reader
        # Lookups already made in this file: a text to what it names, None when the text
        # names nothing a row may use (the row then fails and is read again for its
        # messages).
        self._indicators: dict[tuple[str, str], Indicator | None] = {}
        self._members: list[dict[str, str | None]] = [{} for _ in reader.columns.dimensions]
        # Per indicator code, per breakdown column: whether the indicator is broken down
        # by that column's dimension.
        self._broken_down: dict[str, list[bool]] = {}
        self._percents: set[str] = set()

    def _indicator(self, code: str, name: str) -> Indicator | None:
        catalogue = self.reader.catalogue
        indicator: Indicator | None = None
        if code:
            indicator = catalogue.dataset_indicators.get(code.strip().casefold())
        elif name:
            indicator = catalogue.by_name.get(normalise_header(name))
        if indicator is None or indicator.is_computed:
            return None
        if indicator.unit == Indicator.Unit.PERCENT:
            self._percents.add(indicator.code)
        given = self.reader.catalogue.indicator_dimensions.get(indicator.id, set())
        self._broken_down[indicator.code] = [
            dimension.id in given for _index, dimension in self.reader.columns.dimensions
        ]
        return indicator

    def _indicators_of(self, batch: list[Row]) -> list[Indicator | None]:
        """Each row's indicator, named by code or by name: one lookup per distinct text."""
        columns = self.reader.columns
        pairs = list(
            zip(self._column(batch, columns.code), self._column(batch, columns.name), strict=True)
        )
        known = self._indicators
        for pair in set(pairs).difference(known):
            known[pair] = self._indicator(*pair)
        return [known[pair] for pair in pairs]

    def _member_key(self, position: int, text: str) -> str | None:
        """The breakdown key of the member a text names in a breakdown column, if any."""
        known = self._members[position]
        if text in known:
            return known[text]
        dimension = self.reader.columns.dimensions[position][1]
        member = self.reader.catalogue.members.get(dimension.pk, {}).get(normalise_header(text))
        key = known[text] = None if member is None else self.reader.breakdown([member])
        return key

    def _column(self, batch: list[Row], index: int | None) -> list[str]:
        if index is None:
            return [""] * len(batch)
        return [cells[index] if index < len(cells) else "" for _number, cells in batch]

    def _breakdowns(self, batch: list[Row], indicators: list[Indicator | None]) -> list[str | None]:
        """Each row's breakdown key, or None where its breakdown columns fail a check: an
        unknown member, a dimension the indicator is not broken down by, or two members."""
        keys: list[str | None] = [""] * len(batch)
        for position in range(len(self.reader.columns.dimensions)):
            index = self.reader.columns.dimensions[position][0]
            for row, text in enumerate(self._column(batch, index)):
                if not text or keys[row] is None:
                    continue
                key = self._member_key(position, text)
                indicator = indicators[row]
                if (
                    key is None
                    or keys[row]
                    or (indicator is not None and not self._broken_down[indicator.code][position])
                ):
                    keys[row] = None
                else:
                    keys[row] = key
        return keys

    def check(self, batch: list[Row]) -> None:
        """Check a batch of rows; a failing row is read again, alone, for its messages."""
        reader = self.reader
        width = len(reader.table.headers)
        reader.rows += len(batch)
        for _number, texts in batch:
            if reader.unknown_pending or len(texts) > width:
                reader.note_unknown(texts)
        raws = self._column(batch, reader.columns.value)
        batch = [row for row, raw in zip(batch, raws, strict=True) if raw]
        if not batch:
            return
        raws = [raw for raw in raws if raw]
        indicators = self._indicators_of(batch)
        breakdowns = self._breakdowns(batch, indicators)
        values = parse_numbers(raws, decimal_comma=reader.table.decimal_comma)
        first_row = reader.first_row
        cells = reader.cells
        percents = self._percents
        for (number, row), indicator, breakdown, value, raw in zip(
            batch, indicators, breakdowns, values, raws, strict=True
        ):
            if (
                indicator is None
                or breakdown is None
                or value is None
                or not (
                    (indicator.code not in percents and _plainly_in_range(raw))
                    or range_problem(indicator, value) is None
                )
            ):
                reader.check(number, row)
                continue
            first_rows = first_row.setdefault(indicator.code, {})
            if breakdown in first_rows:
                reader.check(number, row)
                continue
            first_rows[breakdown] = number
            cells.append(CellValue(indicator.code, breakdown, value, number, checked=True))
