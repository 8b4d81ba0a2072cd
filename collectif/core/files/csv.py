"""CSV files as partners' tools save them: the encoding and the separator are detected.

UTF-8 (with or without BOM), UTF-16 and UTF-32 (with a BOM, or recognised by where
their NUL bytes fall, as Excel's "Unicode text" writes them), or cp1252/latin-1 (French
Excel's "CSV (separator: semicolon)"); `;`, `,` or a tab. The file is decoded row by
row, so memory does not grow with it. Whatever cannot be read exactly is refused with a
message saying what the file looks like, never guessed.
"""

import csv
import io
import re
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from collectif.core.files.encodings import detect_encoding
from collectif.core.files.problems import (
    SAVE_AS,
    FileProblem,
    count,
    file_problem,
    nul_bytes,
    unknown_encoding,
)
from collectif.core.files.table import (
    MAX_COLUMNS,
    Progress,
    Row,
    Table,
    check_width,
    empty_file,
    first_rows,
    non_empty,
    with_data,
)

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = (";", ",", "\t")
# How many data rows of the sample must agree before the separator is called mixed.
DELIMITER_CHECK_ROWS = 20

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

DELIMITER_NAMES = {
    ";": _("semicolons (;)"),
    ",": _("commas (,)"),
    "\t": _("tabs"),
}


class _CountingReader(io.RawIOBase):
    """Passes bytes through, telling `progress` how many have been read.

    It also gives TextIOWrapper a true raw stream whatever the caller passed (a Django
    upload, a file, BytesIO), and never closes the caller's stream. In a file whose
    encoding never writes NUL bytes, one past the sample means a damaged file.
    """

    def __init__(self, raw: IO[bytes], progress: Progress | None, *, refuse_nul: bool) -> None:
        self._raw = raw
        self._progress = progress
        self._count = 0
        self._refuse_nul = refuse_nul

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._raw.read(len(buffer))
        if self._refuse_nul and b"\x00" in chunk:
            raise nul_bytes()
        count = len(chunk)
        buffer[:count] = chunk
        self._count += count
        if self._progress is not None:
            self._progress(self._count)
        return count


def _widths(line: str) -> dict[str, list[str]]:
    """A line split by each separator."""
    split: dict[str, list[str]] = {}
    for delimiter in DELIMITERS:
        try:
            split[delimiter] = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            split[delimiter] = [line]
    return split


def _choose_delimiter(lines: list[str]) -> str:
    """The separator that splits the header row into the most columns.

    Headers never contain the separator, so counting columns in the header row is more
    reliable than csv.Sniffer on data full of decimal commas; the Sniffer only breaks a
    tie, as in a one-column file.
    """
    header = next((line for line in lines if line.strip()), "")
    widths = {delimiter: len(cells) for delimiter, cells in _widths(header).items()}
    best = max(widths.values(), default=1)
    candidates = [delimiter for delimiter in DELIMITERS if widths[delimiter] == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(candidates))
    except csv.Error:
        return "," if "," in candidates else candidates[0]
    return sniffed.delimiter


def _row_uses(line: str, delimiter: str, header_widths: dict[str, int]) -> str | None:
    """The other separator a data line uses where the header used `delimiter`, if any."""
    split = _widths(line)
    expected = header_widths[delimiter]
    found = len(split[delimiter])
    for other in DELIMITERS:
        if other == delimiter or header_widths[other] != 1:
            continue
        width = len(split[other])
        if width >= 2 and (found == 1 or abs(width - expected) < abs(found - expected)):
            return other
    return None


def _check_mixed_delimiters(lines: list[str], delimiter: str) -> None:
    """Refuse a header written with one separator above rows written with another.

    Such a file is read as one column per row: every value would look missing, and an
    import would replace saved values with nothing.
    """
    filled = [line for line in lines if line.strip()]
    if len(filled) < 2:
        return
    header_widths = {d: len(cells) for d, cells in _widths(filled[0]).items()}
    if header_widths[delimiter] < 2:
        return
    data = filled[1 : DELIMITER_CHECK_ROWS + 1]
    used = [_row_uses(line, delimiter, header_widths) for line in data]
    for other in DELIMITERS:
        if used.count(other) * 2 > len(data):
            raise file_problem(
                "mixed_delimiters",
                _(
                    "The header row uses %(header)s but the data rows use %(rows)s. Save "
                    "the whole file again with one separator (in Excel: “CSV UTF-8”), or "
                    "retype the header row with the rows' separator, then upload it again."
                ),
                header=DELIMITER_NAMES[delimiter],
                rows=DELIMITER_NAMES[other],
            )


def _csv_error(message: str, *, start: int, line: int) -> FileProblem:
    """What a csv.Error means for the person, at the lines where it happened."""
    if "field larger than field limit" in message and line == start:
        return file_problem(
            "cell_too_long",
            _(
                "A cell on line %(line)s holds more than %(limit)s characters, more than "
                "any template needs. Shorten it (or check that this line is really part of "
                "the table), save the file and upload it again."
            ),
            line=start,
            limit=count(csv.field_size_limit()),
        )
    if "field larger than field limit" in message or "unexpected end of data" in message:
        return file_problem(
            "unbalanced_quote",
            _(
                "A quotation mark opened on line %(line)s is never closed, so the rest of "
                "the file would be read as one cell. Close it (or delete it) on that line, "
                "save the file and upload it again."
            ),
            line=start,
        )
    if "expected after" in message:
        return file_problem(
            "unbalanced_quote",
            _(
                "On line %(line)s a cell starts with a quotation mark but more text follows "
                "the closing one. Put the whole cell between quotation marks (writing two "
                "quotation marks for each one inside it), or remove them, then upload the "
                "file again."
            ),
            line=start,
        )
    return file_problem(
        "bad_csv",
        _("The file cannot be read as a table near line %(line)s. %(what_to_do)s"),
        line=start,
        what_to_do=SAVE_AS,
    )


def _records(reader: Any) -> Iterator[Row]:
    """The records of a csv reader, numbered, with its errors said in words."""
    number = 0
    start = 1
    try:
        for record in reader:
            number += 1
            if len(record) > MAX_COLUMNS:
                check_width(record, line=start)
            yield number, [cell.strip().lstrip("\ufeff") for cell in record]
            start = reader.line_num + 1
    except UnicodeDecodeError:
        raise unknown_encoding() from None
    except csv.Error as exc:
        raise _csv_error(str(exc), start=start, line=reader.line_num) from None


def _line_breaks(stream: IO[bytes]) -> int:
    """How many line breaks the file holds: its rows, give or take a multi-line cell."""
    start = stream.tell()
    breaks = 0
    while chunk := stream.read(CHUNK_BYTES):
        breaks += chunk.count(b"\n")
    stream.seek(start)
    return breaks


def read_csv(stream: IO[bytes], *, size: int, progress: Progress | None) -> Table:
    encoding = detect_encoding(stream, sample_bytes=SAMPLE_BYTES, chunk_bytes=CHUNK_BYTES)
    start = stream.tell()
    sample_bytes = stream.read(SAMPLE_BYTES)
    stream.seek(start)
    sample = sample_bytes.decode(encoding, errors="ignore")
    if _CONTROL.search(sample.replace("\ufeff", "")):
        raise unknown_encoding()
    lines = sample.splitlines()
    if len(sample_bytes) == SAMPLE_BYTES:
        lines = lines[:-1]  # the last line may be cut short
    delimiter = _choose_delimiter(lines)
    _check_mixed_delimiters(lines, delimiter)
    refuse_nul = not encoding.startswith(("utf-16", "utf-32"))
    breaks = _line_breaks(stream)
    raw = io.BufferedReader(
        _CountingReader(stream, progress, refuse_nul=refuse_nul), buffer_size=CHUNK_BYTES
    )
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    first = first_rows(_records(reader))
    if first is None:
        raise empty_file()
    headers, rest = first
    return Table(
        headers=headers,
        rows=with_data(non_empty(rest)),
        estimated_rows=max(breaks - 1, 1),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=True if delimiter == ";" else None,
        size=size,
    )
