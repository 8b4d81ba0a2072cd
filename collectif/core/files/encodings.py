"""Which encoding a CSV file is in, or why it cannot be read exactly.

Only what can be recognised for certain is read: a BOM; UTF-16 and UTF-32 without one
from where their NUL bytes fall; UTF-8 when the whole file decodes as UTF-8; and else
the Western-European single-byte encodings French and English Excel write on Windows.
A file that is part UTF-8 and part something else, a Mac (MacRoman) file, or text in
another script is refused: read as cp1252 it would be silently misspelt.
"""

import codecs
import re
from typing import IO

import charset_normalizer
from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import FileProblem, file_problem, nul_bytes, unknown_encoding

SINGLE_BYTE_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
CHAOS_THRESHOLD = 0.5

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 spellings of "é", "à", "’", "€"... : in a file that is not UTF-8 throughout, they
# mean part of it was saved as UTF-8 (cp1252 text practically never holds "Ã©" or "â€").
_UTF8_LETTERS = re.compile(rb"\xc3[\x80-\xbf]|\xe2\x80[\x90-\xbf]|\xe2\x82\xac|\xc2[\xa0-\xbf]")
# MacRoman's é, à, â, û, É read as cp1252's Ž, ˆ, ‰, ž, ƒ, next to a letter.
_MAC_ROMAN = re.compile(rb"[A-Za-z][\x83\x88\x89\x8e\x9e]|[\x83\x88\x89\x8e\x9e][A-Za-z]")
_BINARY = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def mixed_encoding() -> FileProblem:
    return file_problem(
        "mixed_encoding",
        _(
            "Part of the file is saved as UTF-8 and part in another encoding (as happens "
            "when rows are pasted from different files), so some letters would be "
            "misread. Open it in Excel or LibreOffice, check the accented letters, then "
            "save the whole file as “CSV UTF-8” and upload it again."
        ),
    )


def _bom_encoding(sample: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    return None


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _zero_share(data: bytes) -> float:
    return data.count(0) / len(data) if data else 0.0


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, told by the NUL bytes of Latin-script text."""
    quads = len(sample) // 4 * 4
    if quads:
        zeros = [_zero_share(sample[i:quads:4]) for i in range(4)]
        if zeros[2] == zeros[3] == 1 and zeros[0] < 0.5:
            return "utf-32-le" if _decodes(sample[:quads], "utf-32-le") else None
        if zeros[0] == zeros[1] == 1 and zeros[3] < 0.5:
            return "utf-32-be" if _decodes(sample[:quads], "utf-32-be") else None
    pairs = len(sample) // 2 * 2
    even, odd = _zero_share(sample[0:pairs:2]), _zero_share(sample[1:pairs:2])
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= 0.6 and low == 0 and _decodes(sample[:pairs], encoding):
            return encoding
    return None


def _is_utf8(stream: IO[bytes], chunk_bytes: int) -> bool:
    start = stream.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(chunk_bytes):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(start)
    return True


def _has_utf8_letters(stream: IO[bytes], chunk_bytes: int) -> bool:
    start = stream.tell()
    tail = b""
    try:
        while chunk := stream.read(chunk_bytes):
            if _UTF8_LETTERS.search(tail + chunk):
                return True
            tail = chunk[-2:]
    finally:
        stream.seek(start)
    return False


def detect_encoding(stream: IO[bytes], *, sample_bytes: int, chunk_bytes: int) -> str:
    """The encoding to decode with ("utf-8-sig", "utf-16", "utf-32" skip their BOM)."""
    start = stream.tell()
    sample = stream.read(sample_bytes)
    stream.seek(start)
    encoding = _bom_encoding(sample)
    if encoding == "utf-8-sig" and not _is_utf8(stream, chunk_bytes):
        raise mixed_encoding()
    if encoding:
        return encoding
    if b"\x00" in sample:
        encoding = _wide_encoding(sample)
        if encoding:
            return encoding
        # A text file with stray NULs, or a binary file (which holds other controls too).
        if _BINARY.search(sample.replace(b"\x00", b"")):
            raise unknown_encoding()
        raise nul_bytes()
    if _is_utf8(stream, chunk_bytes):
        return "utf-8"
    if _has_utf8_letters(stream, chunk_bytes):
        raise mixed_encoding()
    if _MAC_ROMAN.search(sample):
        raise unknown_encoding()
    # A lenient threshold: short French files with a lone "é" or "€" look messier to
    # the detector than they are, while text in other scripts stays far above it.
    match = charset_normalizer.from_bytes(
        sample, cp_isolation=SINGLE_BYTE_ENCODINGS, threshold=CHAOS_THRESHOLD
    ).best()
    if match is None:
        raise unknown_encoding()
    return "cp1252"
