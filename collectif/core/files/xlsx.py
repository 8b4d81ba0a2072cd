"""Excel workbooks (.xlsx), read for the values Excel computed, never their formulas.

A workbook is a zip of XML, so it is checked before it is opened: zip bombs are
refused from what the archive declares, then every member is inflated against its
declared size and checksum. It is read by python-calamine (fast, in memory) while its
sheets are small, and by openpyxl's streaming reader above `CALAMINE_MAX_SHEET_BYTES`.
"""

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import MEGABYTE, FileProblem, file_problem, not_a_workbook
from collectif.core.files.table import (
    HeaderRecogniser,
    Progress,
    Row,
    Table,
    first_rows,
    non_empty,
    with_data,
)

CHUNK_BYTES = 1024 * 1024
# Refuse workbooks that would inflate beyond reason (zip bombs).
XLSX_MAX_UNCOMPRESSED = 200 * MEGABYTE
XLSX_MAX_RATIO = 100
# Ratios are only meaningful on members big enough to hurt.
XLSX_RATIO_MIN_BYTES = MEGABYTE
# Above this much sheet XML, stream with openpyxl instead of loading with calamine.
CALAMINE_MAX_SHEET_BYTES = 50 * MEGABYTE


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


def _zip_bomb() -> FileProblem:
    return file_problem(
        "zip_bomb",
        _(
            "This workbook would take more than %(limit)s MB once opened, which no "
            "template needs. Copy the data into a new workbook or save it as “CSV UTF-8”, "
            "then upload it again."
        ),
        limit=XLSX_MAX_UNCOMPRESSED // MEGABYTE,
    )


def _check_zip(archive: zipfile.ZipFile) -> int:
    """Refuse zip bombs from what the archive declares; return the sheets' XML size."""
    total = 0
    sheets = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= XLSX_RATIO_MIN_BYTES and ratio > XLSX_MAX_RATIO:
            raise _zip_bomb()
        if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
            sheets += info.file_size
    if total > XLSX_MAX_UNCOMPRESSED:
        raise _zip_bomb()
    return sheets


def _verify_members(archive: zipfile.ZipFile) -> None:
    """Inflate every member against its declared size and checksum.

    python-calamine trusts the sizes a zip declares; Python's zipfile stops at the
    declared size and checks the CRC, so a member that lies about its size (a zip bomb
    in disguise) is refused here before calamine opens it.
    """
    for info in archive.infolist():
        with archive.open(info) as member:
            while member.read(CHUNK_BYTES):
                pass


def _wrong_sheet(names: list[str], wanted: str | None) -> FileProblem:
    listed = ", ".join(f"“{name}”" for name in names)
    if wanted:
        return file_problem(
            "wrong_sheet",
            _(
                "The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s. "
                "Choose one of them, or rename the sheet that holds the data."
            ),
            sheet=wanted,
            sheets=listed,
        )
    return file_problem(
        "wrong_sheet",
        _(
            "No sheet of this workbook starts with the template's column headers (its "
            "sheets are: %(sheets)s). Put the data on the first sheet, with the headers "
            "of the template in the first row."
        ),
        sheets=listed,
    )


class _Workbook:
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
        sheet = self._book.get_sheet_by_name(name)
        if progress is not None:
            progress(self._size)
        first_row = sheet.start[0] if sheet.start else 0
        for index, values in enumerate(sheet.iter_rows()):
            yield first_row + index + 1, [_cell_text(value) for value in values]


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
            yield number, [_cell_text(value) for value in values]


def _open(stream: IO[bytes]) -> _Workbook:
    try:
        archive = zipfile.ZipFile(stream)
        sheet_bytes = _check_zip(archive)
        _verify_members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise not_a_workbook() from None
    stream.seek(0)
    if sheet_bytes <= CALAMINE_MAX_SHEET_BYTES:
        return _CalamineWorkbook(stream)
    return _OpenpyxlWorkbook(stream)


def read_xlsx(
    stream: IO[bytes],
    *,
    sheet: str | None,
    progress: Progress | None,
    recognise_header: HeaderRecogniser | None,
) -> Table:
    """The named sheet, or else the first whose first row `recognise_header` accepts (the
    first non-empty sheet when the importer gives no recogniser)."""
    reader = _open(stream)
    names = reader.sheet_names()
    if sheet and sheet not in names:
        raise _wrong_sheet(names, sheet)
    for name in [sheet] if sheet else names:
        first = first_rows(reader.rows(name, progress))
        if first is None:
            continue
        headers, rest = first
        if sheet or recognise_header is None or recognise_header(headers):
            return Table(
                headers=headers,
                rows=with_data(non_empty(rest)),
                format="xlsx",
                sheet=name,
                sheet_names=names,
            )
    if sheet:
        raise file_problem(
            "empty",
            _("The sheet “%(sheet)s” is empty. Fill it in and upload it again."),
            sheet=sheet,
        )
    raise _wrong_sheet(names, None)
