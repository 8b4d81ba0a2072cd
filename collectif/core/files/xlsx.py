"""Excel workbooks (.xlsx, .xlsm), read for the values Excel computed, never their formulas.

The archive is checked first (`workbook_checks`): zip bombs, entities, damaged or
non-workbook zips, and the cells libraries would read as blank (Excel errors, formulas
without a saved result). It is then read by python-calamine (fast, in memory) while its
sheets are small, and by openpyxl's streaming reader above `CALAMINE_MAX_SHEET_BYTES`.
Macros are never run: only the values are read. Hidden sheets are read only when asked
for by name.
"""

import io
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import FileProblem, file_problem, not_a_workbook
from collectif.core.files.table import (
    MAX_COLUMNS,
    HeaderRecogniser,
    Progress,
    Row,
    Table,
    check_width,
    empty_file,
    first_rows,
    non_empty,
    with_data,
)
from collectif.core.files.workbook_checks import (
    XLSX_MAX_UNCOMPRESSED,
    Contents,
    bad_cell,
    check_workbook,
)

# Above this much sheet XML, stream with openpyxl instead of loading with calamine.
CALAMINE_MAX_SHEET_BYTES = 50 * 1024 * 1024

__all__ = ["CALAMINE_MAX_SHEET_BYTES", "XLSX_MAX_UNCOMPRESSED", "read_xlsx"]


def _cell_text(value: Any) -> str:
    """A workbook cell as text: computed numbers written plainly ("1234.5"), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _row(number: int, values: list[Any]) -> Row:
    if len(values) > MAX_COLUMNS:
        check_width([_cell_text(value) for value in values], line=number)
    # Text (empty cells included) is most of a sheet: it skips `_cell_text`'s questions.
    return number, [value.strip() if type(value) is str else _cell_text(value) for value in values]


def _listed(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def _wrong_sheet(names: list[str], wanted: str | None) -> FileProblem:
    if wanted:
        return file_problem(
            "wrong_sheet",
            _(
                "The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s. "
                "Choose one of them, or rename the sheet that holds the data."
            ),
            sheet=wanted,
            sheets=_listed(names),
        )
    return file_problem(
        "wrong_sheet",
        _(
            "No sheet of this workbook starts with the template's column headers (its "
            "sheets are: %(sheets)s). Put the data on the first sheet, with the headers "
            "of the template in the first row."
        ),
        sheets=_listed(names),
    )


def _hidden_sheet(name: str) -> FileProblem:
    return file_problem(
        "hidden_sheet",
        _(
            "The only sheet with the template's column headers, “%(sheet)s”, is hidden, "
            "and Collectif never reads a hidden sheet unless asked to. Unhide it in Excel "
            "(right-click a sheet tab, then Unhide), save and upload the workbook again, "
            "or choose that sheet by name."
        ),
        sheet=name,
    )


class _Workbook:
    # The height of the sheet `rows` last opened, when the reader knows it (else 0).
    height = 0

    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def rows(self, name: str, progress: Progress | None) -> Iterator[Row]:
        raise NotImplementedError


class _CalamineWorkbook(_Workbook):
    def __init__(self, stream: IO[bytes]) -> None:
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(stream)
        except Exception as exc:  # calamine raises several kinds on a malformed workbook
            raise not_a_workbook() from exc
        self._size = stream.seek(0, io.SEEK_END)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, name: str, progress: Progress | None) -> Iterator[Row]:
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:  # a sheet calamine cannot parse
            raise not_a_workbook() from exc
        self.height = sheet.height
        if progress is not None:
            progress(self._size)
        first_row = sheet.start[0] if sheet.start else 0
        for index, values in enumerate(sheet.iter_rows()):
            yield _row(first_row + index + 1, values)


class _OpenpyxlWorkbook(_Workbook):
    def __init__(self, stream: IO[bytes]) -> None:
        import openpyxl

        self._stream = stream
        try:
            self._book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a malformed workbook
            raise not_a_workbook() from exc
        self._size = stream.seek(0, io.SEEK_END)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheetnames)

    def rows(self, name: str, progress: Progress | None) -> Iterator[Row]:
        worksheet = self._book[name]
        worksheet.reset_dimensions()
        if progress is not None:
            progress(self._size)
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield _row(number, list(values))


def _open(stream: IO[bytes]) -> tuple[_Workbook, Contents]:
    contents = check_workbook(stream)
    stream.seek(0)
    if contents.sheet_bytes <= CALAMINE_MAX_SHEET_BYTES:
        return _CalamineWorkbook(stream), contents
    return _OpenpyxlWorkbook(stream), contents


def _candidates(names: list[str], contents: Contents, sheet: str | None) -> list[str]:
    """The sheets to try, in order: the one asked for, or else the visible ones."""
    if sheet:
        return [sheet]
    return [
        name for name in names if not _is_hidden(contents, name) and not _is_chart(contents, name)
    ]


def _is_chart(contents: Contents, name: str) -> bool:
    """A chart or dialog sheet: it holds no cells to read."""
    found = contents.sheet(name)
    return found is not None and found.part.startswith(("xl/chartsheets/", "xl/dialogsheets/"))


def _is_hidden(contents: Contents, name: str) -> bool:
    found = contents.sheet(name)
    return found is not None and found.hidden


def _check_cells(contents: Contents, name: str) -> None:
    found = contents.sheet(name)
    problem = contents.bad_cells.get(found.part) if found is not None else None
    if problem is not None:
        raise bad_cell(problem, sheet=name)


def _hidden_match(
    reader: _Workbook, names: list[str], *, contents: Contents, recognise: HeaderRecogniser | None
) -> str | None:
    """A hidden sheet that would have been read had it been visible."""
    for name in names:
        if _is_hidden(contents, name):
            first = first_rows(reader.rows(name, None))
            if first is not None and (recognise is None or recognise(first[0])):
                return name
    return None


def read_xlsx(
    stream: IO[bytes],
    *,
    sheet: str | None,
    progress: Progress | None,
    recognise_header: HeaderRecogniser | None,
) -> Table:
    """The named sheet, or else the first visible one whose first row `recognise_header`
    accepts (the first visible non-empty sheet when the importer gives no recogniser)."""
    reader, contents = _open(stream)
    names = reader.sheet_names()
    if sheet and sheet not in names:
        raise _wrong_sheet(names, sheet)
    hidden = [name for name in names if _is_hidden(contents, name)]
    filled = False
    for name in _candidates(names, contents, sheet):
        first = first_rows(reader.rows(name, progress))
        if first is None:
            continue
        filled = True
        headers, rest = first
        if sheet or recognise_header is None or recognise_header(headers):
            _check_cells(contents, name)
            return Table(
                headers=headers,
                rows=with_data(non_empty(rest)),
                estimated_rows=max(reader.height - 1, 0),
                format="xlsx",
                sheet=name,
                sheet_names=names,
                hidden_sheets=hidden,
            )
    if sheet:
        raise file_problem(
            "empty",
            _("The sheet “%(sheet)s” is empty. Fill it in and upload it again."),
            sheet=sheet,
        )
    hidden_match = _hidden_match(reader, names, contents=contents, recognise=recognise_header)
    if hidden_match is not None:
        raise _hidden_sheet(hidden_match)
    if not filled and not hidden:
        raise empty_file()
    raise _wrong_sheet(names, None)
