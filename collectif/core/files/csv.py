"""CSV files as partners' tools save them: the encoding and the separator are detected.

UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), or
cp1252/latin-1 (French Excel's "CSV (separator: semicolon)"); `;`, `,` or a tab. The
file is decoded row by row, so memory does not grow with it.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO, Any

import charset_normalizer
from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import SAVE_AS, FileProblem, file_problem
from collectif.core.files.table import (
    Progress,
    Row,
    Table,
    empty_file,
    first_rows,
    non_empty,
    with_data,
)

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = (";", ",", "\t")
# Only Western-European single-byte encodings are accepted besides UTF-8: what French
# and English Excel write on Windows. Anything else would be read as gibberish.
SINGLE_BYTE_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
CHAOS_THRESHOLD = 0.5

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    return file_problem(
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


def read_csv(stream: IO[bytes], *, size: int, progress: Progress | None) -> Table:
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

    def rows() -> Iterator[Row]:
        try:
            for number, record in enumerate(reader, start=1):
                yield number, [cell.strip().lstrip("\ufeff") for cell in record]
        except UnicodeDecodeError:
            raise _unknown_encoding() from None
        except csv.Error as exc:
            raise file_problem(
                "bad_csv",
                _("The file cannot be read as a table (%(error)s). %(what_to_do)s"),
                error=str(exc),
                what_to_do=SAVE_AS,
            ) from None

    first = first_rows(rows())
    if first is None:
        raise empty_file()
    headers, rest = first
    return Table(
        headers=headers,
        rows=with_data(non_empty(rest)),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=True if delimiter == ";" else None,
        size=size,
    )
