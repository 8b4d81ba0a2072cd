"""Reading partner files as partners really save them.

Partners export from French or English Excel, LibreOffice, Google Sheets or their own
systems, so a CSV may be UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's
"Unicode text"), or cp1252/latin-1 (French Excel's "CSV (separator: semicolon)"); the
separator may be `;`, `,` or a tab; numbers may use decimal commas and spaces, no-break
spaces or commas between thousands. A workbook (.xlsx) is read for the values Excel
computed, not its formulas.

Reading streams: a CSV is decoded row by row, so memory does not grow with the file.
A workbook is read by python-calamine (fast, in memory) while its sheets are small, and
by openpyxl's streaming reader above `CALAMINE_MAX_SHEET_BYTES` of sheet XML.

Every refusal is a `FileProblem` whose message says what to do, in the person's language.
"""

import codecs
import csv
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain
from typing import IO, Any, BinaryIO

import charset_normalizer
from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from collectif.core.formatting import format_number

Progress = Callable[[int], None]

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
MEGABYTE = 1024 * 1024
# A workbook is a zip of XML: refuse those that would inflate beyond reason (zip bombs).
XLSX_MAX_UNCOMPRESSED = 200 * MEGABYTE
XLSX_MAX_RATIO = 100
# Ratios are only meaningful on members big enough to hurt.
XLSX_RATIO_MIN_BYTES = MEGABYTE
# Above this much sheet XML, stream with openpyxl instead of loading with calamine.
CALAMINE_MAX_SHEET_BYTES = 50 * MEGABYTE
DELIMITERS = (";", ",", "\t")
# Only Western-European single-byte encodings are accepted besides UTF-8: what French
# and English Excel write on Windows. Anything else would be read as gibberish.
SINGLE_BYTE_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
CHAOS_THRESHOLD = 0.5

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _lazy_format(text: Promise, params: dict[str, Any]) -> str:
    return str(text) % {key: value() if callable(value) else value for key, value in params.items()}


_lazy_message = lazy(_lazy_format, str)


class FileProblem(Exception):  # noqa: N818 (the name the other modules use)
    """The file as a whole cannot be read; `.message` says why and what to do."""

    def __init__(self, message: Promise | str, *, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


def _problem(code: str, text: Promise, **params: Any) -> FileProblem:
    return FileProblem(_lazy_message(text, params) if params else text, code=code)


def _megabytes(size: int) -> Callable[[], str]:
    """A size in MB, formatted in the language active when the message is shown."""
    return lambda: format_number(Decimal(size) / MEGABYTE, decimals=1)


SAVE_AS = _("Save it as “CSV UTF-8” or as an Excel workbook (.xlsx) and upload it again.")


@dataclass
class Table:
    """A header row and the data rows after it, numbered as a spreadsheet shows them."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    format: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    # True when the file's conventions say a lone comma is a decimal comma (a `;` CSV).
    decimal_comma: bool | None = None
    size: int = 0
    sheet_names: list[str] = field(default_factory=list)


# --- Column headers -------------------------------------------------------------------

# The columns of a template, as a person may have typed them, in either language.
# Header text is compared after `normalise_header`: case, accents, apostrophes and
# spacing do not matter.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_code": (
        "indicator code",
        "code",
        "indicator id",
        "code de l indicateur",
        "code indicateur",
        "code d indicateur",
    ),
    "indicator_name": (
        "indicator name",
        "indicator",
        "name",
        "nom de l indicateur",
        "nom indicateur",
        "indicateur",
        "nom",
    ),
    "unit": ("unit", "unite", "unite de mesure", "unit of measure"),
    "value": ("value", "valeur", "amount", "montant"),
}


@lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """`"  Unité de l’indicateur "` → `"unite de l indicateur"`: how headers are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", plain.casefold()).split())


def column_role(text: str) -> str | None:
    """Which template column a header names, if any."""
    normalised = normalise_header(text)
    for role, aliases in COLUMN_ALIASES.items():
        if normalised in aliases:
            return role
    return None


def has_recognisable_header(headers: Iterable[str]) -> bool:
    roles = {column_role(header) for header in headers}
    return "value" in roles and bool(roles & {"indicator_code", "indicator_name"})


# --- Numbers ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[ ,.]\d{3})+$")
_NUMBER_CHARS = re.compile(r"[0-9., ]+")
_DIGITS = re.compile(r"\d*")
_GROUPING = {
    separator: re.compile(rf"[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+")
    for separator in " ,."
}


def _check_grouping(digits: str, separator: str) -> str:
    if separator not in digits:
        return digits
    if not _GROUPING[separator].fullmatch(digits):
        raise ValueError(f"badly grouped thousands: {digits!r}")
    return digits.replace(separator, "")


def parse_number(text: str, *, decimal_comma: bool | None = None) -> Decimal:
    """Read a number written the French, English or spreadsheet way.

    Accepted: "1234", "-3", "1 234,5" (space, no-break or narrow no-break space between
    thousands), "1,234.5", "1.234,5", "12,5 %" and "$1,234" / "1 234,50 $". A "%" or "$"
    sign is dropped: a percent indicator stores 12.5 for 12.5 %, a dollar indicator
    stores dollars. Thousands must be grouped by three, so "12 34" (two numbers in one
    cell) is refused rather than guessed.

    A lone comma followed by exactly three digits ("1,234") is ambiguous. With
    `decimal_comma=True` (a `;` CSV, as French Excel writes) it is a decimal comma;
    otherwise it separates thousands, as English Excel writes it. Any other lone comma
    ("12,5", "0,125") is a decimal comma.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("empty")
    if raw.isascii() and raw.isdigit():
        # Most cells of a large file are plain whole numbers: skip the general path.
        return Decimal(raw)
    body = raw.replace("\u2212", "-")
    if body.endswith("%"):
        body = body[:-1].rstrip()
    negative = False
    if body[:1] in "+-":
        negative = body[0] == "-"
        body = body[1:].lstrip()
    if body.startswith("$"):
        body = body[1:].lstrip()
    elif body.endswith("$"):
        body = body[:-1].rstrip()
    if body[:1] in "+-" and not negative:
        negative = body[0] == "-"
        body = body[1:]
    spaced = bool(_SPACES.search(body))
    body = _SPACES.sub(" ", body)
    if not body or not _NUMBER_CHARS.fullmatch(body):
        raise ValueError(f"not a number: {text!r}")
    if spaced:
        integer, _sep, fraction = body.rpartition("," if "," in body else ".")
        if not _sep:
            integer, fraction = body, ""
        integer = _check_grouping(integer, " ")
    elif "," in body and "." in body:
        separator = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if separator == "," else ","
        integer, _sep, fraction = body.rpartition(separator)
        integer = _check_grouping(integer, thousands)
    elif body.count(",") > 1 or body.count(".") > 1:
        thousands = "," if "," in body else "."
        integer, fraction = _check_grouping(body, thousands), ""
    elif "," in body:
        integer, _sep, fraction = body.partition(",")
        if decimal_comma is not True and _GROUPED.fullmatch(body):
            integer, fraction = integer + fraction, ""
    else:
        integer, _sep, fraction = body.partition(".")
    if not _DIGITS.fullmatch(integer) or not _DIGITS.fullmatch(fraction):
        raise ValueError(f"not a number: {text!r}")
    if not integer and not fraction:
        raise ValueError(f"not a number: {text!r}")
    literal = (integer or "0") + ("." + fraction if fraction else "")
    try:
        number = Decimal(literal)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    return -number if negative else number


# --- Bytes in ---------------------------------------------------------------------------


def upload_limit() -> int:
    return int(settings.COLLECTIF.get("UPLOAD_MAX_BYTES", 20 * MEGABYTE))


def _too_big(size: int, limit: int) -> FileProblem:
    return _problem(
        "too_big",
        _(
            "The file is larger than the %(limit)s MB limit. Split it into several files, "
            "or remove rows you did not change, and upload each one."
        ),
        limit=_megabytes(limit),
        size=_megabytes(size),
    )


def _seekable(data: BinaryIO, limit: int) -> tuple[IO[bytes], int]:
    """The data as a seekable stream and its size, refusing it past `limit` bytes."""
    try:
        start = data.tell()
        data.seek(0, io.SEEK_END)
        size = data.tell() - start
        data.seek(start)
    except (AttributeError, OSError, ValueError):
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * MEGABYTE)  # noqa: SIM115
        size = 0
        while chunk := data.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise _too_big(size, limit) from None
            spool.write(chunk)
        spool.seek(0)
        return spool, size
    if size > limit:
        raise _too_big(size, limit)
    return data, size


def read_table(
    data: BinaryIO,
    filename: str,
    *,
    max_bytes: int | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Table:
    """Open a CSV or XLSX file and return its header and its (lazily read) data rows.

    `progress`, if given, is called with the number of bytes read so far as rows are
    consumed (the whole size once a workbook is loaded).
    """
    limit = upload_limit() if max_bytes is None else max_bytes
    stream, size = _seekable(data, limit)
    start = stream.tell()
    head = stream.read(8)
    stream.seek(start)
    if size == 0 or not head:
        raise _problem("empty", _("The file is empty. Fill in the template and upload it again."))
    lower = filename.lower()
    if head.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise _problem(
            "old_excel",
            _("This is an old Excel 97-2003 workbook (.xls). %(what_to_do)s"),
            what_to_do=SAVE_AS,
        )
    if head.startswith(ZIP_MAGIC):
        table = _read_xlsx(stream, sheet=sheet, progress=progress)
    elif lower.endswith((".xlsx", ".xlsm")):
        raise _problem(
            "not_xlsx",
            _("This file is not a valid Excel workbook. %(what_to_do)s"),
            what_to_do=SAVE_AS,
        )
    else:
        table = _read_csv(stream, size=size, progress=progress)
    table.size = size
    return table


def _first_rows(
    rows: Iterator[tuple[int, list[str]]],
) -> tuple[list[str], Iterator[tuple[int, list[str]]]] | None:
    """The first non-empty row as header, and the remaining non-empty rows (or None)."""
    for _number, cells in rows:
        if any(cells):
            return cells, rows
    return None


def _with_data(
    headers: list[str], rows: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    """The data rows, refusing a file whose only row is the header."""
    first = next(rows, None)
    if first is None:
        raise _problem(
            "no_data",
            _(
                "The file has no data rows: only the column headers. Write one value per "
                "row below the headers, then upload the file again."
            ),
        )
    return chain([first], rows)


def _non_empty(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    return ((number, cells) for number, cells in rows if any(cells))


# --- CSV ------------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    """Passes bytes through, telling `progress` how many have been read.

    It also gives TextIOWrapper a true raw stream whatever the caller passed (a Django
    upload, a file, BytesIO), and never closes the caller's stream.
    """

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw = raw
        self._progress = progress
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._raw.read(len(buffer))
        count = len(chunk)
        buffer[:count] = chunk
        self._count += count
        if self._progress is not None:
            self._progress(self._count)
        return count


def _is_utf8(stream: IO[bytes]) -> bool:
    start = stream.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(start)
    return True


def _unknown_encoding() -> FileProblem:
    return _problem(
        "unknown_encoding",
        _("The file's characters are in an encoding Collectif cannot read. %(what_to_do)s"),
        what_to_do=SAVE_AS,
    )


def _detect_encoding(stream: IO[bytes]) -> str:
    """The encoding to decode with ("utf-8-sig" and "utf-16" skip their BOM)."""
    start = stream.tell()
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(start)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # NUL bytes mean UTF-16/32 without a BOM, or a binary file: never a text export.
    if b"\x00" in sample:
        raise _unknown_encoding()
    if _is_utf8(stream):
        return "utf-8"
    # A lenient threshold: short French files with a lone "é" or "€" look messier to
    # the detector than they are, while text in other scripts stays far above it.
    match = charset_normalizer.from_bytes(
        sample, cp_isolation=SINGLE_BYTE_ENCODINGS, threshold=CHAOS_THRESHOLD
    ).best()
    if match is None:
        raise _unknown_encoding()
    return "cp1252"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _choose_delimiter(text: str) -> str:
    """The separator that splits the header row into the most columns.

    Headers never contain the separator, so counting columns in the header row is more
    reliable than csv.Sniffer on data full of decimal commas; the Sniffer only breaks a
    tie, as in a one-column file.
    """
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    widths = {
        delimiter: len(next(csv.reader([header], delimiter=delimiter), []))
        for delimiter in DELIMITERS
    }
    best = max(widths.values(), default=1)
    candidates = [delimiter for delimiter in DELIMITERS if widths[delimiter] == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(candidates))
    except csv.Error:
        return "," if "," in candidates else candidates[0]
    return sniffed.delimiter


def _read_csv(stream: IO[bytes], *, size: int, progress: Progress | None) -> Table:
    encoding = _detect_encoding(stream)
    start = stream.tell()
    sample_bytes = stream.read(SAMPLE_BYTES)
    stream.seek(start)
    sample = sample_bytes.decode(encoding, errors="ignore")
    if _CONTROL.search(sample.replace("\ufeff", "")):
        raise _unknown_encoding()
    delimiter = _choose_delimiter(sample)
    raw = io.BufferedReader(_CountingReader(stream, progress), buffer_size=CHUNK_BYTES)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, record in enumerate(reader, start=1):
                yield number, [cell.strip().lstrip("\ufeff") for cell in record]
        except UnicodeDecodeError:
            raise _unknown_encoding() from None
        except csv.Error as exc:
            raise _problem(
                "bad_csv",
                _("The file cannot be read as a table (%(error)s). %(what_to_do)s"),
                error=str(exc),
                what_to_do=SAVE_AS,
            ) from None

    first = _first_rows(rows())
    if first is None:
        raise _problem("empty", _("The file is empty. Fill in the template and upload it again."))
    headers, rest = first
    return Table(
        headers=headers,
        rows=_with_data(headers, _non_empty(rest)),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=True if delimiter == ";" else None,
        size=size,
    )


# --- XLSX -----------------------------------------------------------------------------


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


def _zip_bomb() -> FileProblem:
    return _problem(
        "zip_bomb",
        _(
            "This workbook would take more than %(limit)s MB once opened, which no "
            "template needs. Copy the data into a new workbook or save it as “CSV UTF-8”, "
            "then upload it again."
        ),
        limit=XLSX_MAX_UNCOMPRESSED // MEGABYTE,
    )


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
        return _problem(
            "wrong_sheet",
            _(
                "The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s. "
                "Choose one of them, or rename the sheet that holds the data."
            ),
            sheet=wanted,
            sheets=listed,
        )
    return _problem(
        "wrong_sheet",
        _(
            "No sheet of this workbook starts with the template's column headers (its "
            "sheets are: %(sheets)s). Put the data on the first sheet, with the headers "
            "of the template in the first row."
        ),
        sheets=listed,
    )


def _read_xlsx(stream: IO[bytes], *, sheet: str | None, progress: Progress | None) -> Table:
    try:
        archive = zipfile.ZipFile(stream)
        sheet_bytes = _check_zip(archive)
        _verify_members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _problem(
            "not_xlsx",
            _("This file is not a valid Excel workbook. %(what_to_do)s"),
            what_to_do=SAVE_AS,
        ) from None
    stream.seek(0)
    if sheet_bytes <= CALAMINE_MAX_SHEET_BYTES:
        reader: _Workbook = _CalamineWorkbook(stream)
    else:
        reader = _OpenpyxlWorkbook(stream)
    names = reader.sheet_names()
    candidates = [sheet] if sheet else names
    if sheet and sheet not in names:
        raise _wrong_sheet(names, sheet)
    for name in candidates:
        first = _first_rows(reader.rows(name, progress))
        if first is None:
            continue
        headers, rest = first
        if sheet or has_recognisable_header(headers):
            return Table(
                headers=headers,
                rows=_with_data(headers, _non_empty(rest)),
                format="xlsx",
                sheet=name,
                sheet_names=names,
            )
    if sheet:
        raise _problem(
            "empty",
            _("The sheet “%(sheet)s” is empty. Fill it in and upload it again."),
            sheet=sheet,
        )
    raise _wrong_sheet(names, None)


class _Workbook:
    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def rows(self, name: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError


class _CalamineWorkbook(_Workbook):
    def __init__(self, stream: IO[bytes]) -> None:
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(stream)
        except Exception as exc:  # calamine raises several kinds on a malformed workbook
            raise _problem(
                "not_xlsx",
                _("This file is not a valid Excel workbook. %(what_to_do)s"),
                what_to_do=SAVE_AS,
            ) from exc
        self._size = stream.seek(0, io.SEEK_END)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, name: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
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
            raise _problem(
                "not_xlsx",
                _("This file is not a valid Excel workbook. %(what_to_do)s"),
                what_to_do=SAVE_AS,
            ) from exc
        self._size = stream.seek(0, io.SEEK_END)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheetnames)

    def rows(self, name: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
        worksheet = self._book[name]
        worksheet.reset_dimensions()
        if progress is not None:
            progress(self._size)
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
