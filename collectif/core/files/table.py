"""What reading a file gives: its header row and its data rows, numbered as a
spreadsheet shows them, read lazily so a large file never sits whole in memory."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import FileProblem, count, file_problem

# Called with the number of bytes read so far.
Progress = Callable[[int], None]
# A data row: its number in the file (1 is the first line) and its cells as text.
Row = tuple[int, list[str]]
# Called with the rows done so far and the rows expected in all.
RowProgress = Callable[[int, int], object]
# Whether a row of a workbook sheet is the header an importer expects.
HeaderRecogniser = Callable[[list[str]], bool]
# No template has more columns; a row with more is a wrong separator or a hostile file.
MAX_COLUMNS = 1000


@dataclass
class Table:
    """A header row and the data rows after it, numbered as a spreadsheet shows them."""

    headers: list[str]
    rows: Iterator[Row]
    format: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    # True when the file's conventions say a lone comma is a decimal comma (a `;` CSV).
    decimal_comma: bool | None = None
    size: int = 0
    sheet_names: list[str] = field(default_factory=list)
    # The workbook's hidden sheets: `sheet` is one of them only when it was asked for
    # by name, which an importer should then say.
    hidden_sheets: list[str] = field(default_factory=list)
    # About how many rows the file holds (its line breaks, or the sheet's height), known
    # before they are read, so a progress bar can move by rows; 0 when unknown.
    estimated_rows: int = 0

    def batches(self, size: int) -> Iterator[list[Row]]:
        """The data rows in lists of `size`, so an importer checks a column at a time
        while memory stays bounded by one batch, not by the file."""
        while batch := list(islice(self.rows, size)):
            yield batch


def first_rows(rows: Iterator[Row]) -> tuple[list[str], Iterator[Row]] | None:
    """The first non-empty row as header, and the remaining rows (or None)."""
    for _number, cells in rows:
        if any(cells):
            return cells, rows
    return None


def with_data(rows: Iterator[Row]) -> Iterator[Row]:
    """The data rows, refusing a file whose only row is the header."""
    first = next(rows, None)
    if first is None:
        raise file_problem(
            "no_data",
            _(
                "The file has no data rows: only the column headers. Write one value per "
                "row below the headers, then upload the file again."
            ),
        )
    return chain([first], rows)


def non_empty(rows: Iterable[Row]) -> Iterator[Row]:
    return ((number, cells) for number, cells in rows if any(cells))


def empty_file() -> FileProblem:
    return file_problem("empty", _("The file is empty. Fill in the template and upload it again."))


def check_width(cells: list[str], *, line: int) -> None:
    """Refuse a row with more than MAX_COLUMNS columns (empty ones on the right aside)."""
    width = len(cells)
    while width > MAX_COLUMNS and not cells[width - 1]:
        width -= 1
    if width > MAX_COLUMNS:
        raise file_problem(
            "too_many_columns",
            _(
                "Row %(row)s has %(count)s columns, more than the %(limit)s Collectif "
                "reads. Delete the columns to the right of the data (or check that the "
                "whole file uses one separator), save it and upload it again."
            ),
            row=line,
            count=count(width),
            limit=count(MAX_COLUMNS),
        )
