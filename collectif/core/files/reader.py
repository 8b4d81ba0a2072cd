"""Opening a partner's file, whatever its kind, within the size limit.

`read_table` tells a workbook from a CSV by its first bytes (not its name), refuses old
Excel files and anything over the upload limit, and hands back a `Table` whose rows are
read as they are consumed. `progress`, if given, hears how many bytes were read.
"""

import io
import tempfile
from typing import IO, BinaryIO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from collectif.core.files.csv import CHUNK_BYTES, read_csv
from collectif.core.files.problems import (
    MEGABYTE,
    SAVE_AS,
    FileProblem,
    file_problem,
    megabytes,
    not_a_workbook,
)
from collectif.core.files.table import HeaderRecogniser, Progress, Table, empty_file
from collectif.core.files.xlsx import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def upload_limit() -> int:
    """The largest file a person may upload, in bytes (settings.COLLECTIF)."""
    return int(settings.COLLECTIF.get("UPLOAD_MAX_BYTES", 20 * MEGABYTE))


def _too_big(size: int, limit: int) -> FileProblem:
    return file_problem(
        "too_big",
        _(
            "The file is larger than the %(limit)s MB limit. Split it into several files, "
            "or remove rows you did not change, and upload each one."
        ),
        limit=megabytes(limit),
        size=megabytes(size),
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


def _old_excel() -> FileProblem:
    return file_problem(
        "old_excel",
        _("This is an old Excel 97-2003 workbook (.xls). %(what_to_do)s"),
        what_to_do=SAVE_AS,
    )


def _ole_problem(stream: IO[bytes]) -> FileProblem:
    """An OLE file is an old workbook, or a new one encrypted with a password.

    Excel stores a password-protected workbook as an OLE file holding an
    "EncryptedPackage" stream, whose name the OLE directory spells in UTF-16.
    """
    start = stream.tell()
    tail = b""
    try:
        while chunk := stream.read(CHUNK_BYTES):
            if ENCRYPTED_STREAM in tail + chunk:
                return file_problem(
                    "encrypted",
                    _(
                        "This workbook is protected by a password, so it cannot be read. "
                        "Remove the password (in Excel: File › Info › Protect Workbook › "
                        "Encrypt with Password, then empty the box), save it again and "
                        "upload it."
                    ),
                )
            tail = chunk[-len(ENCRYPTED_STREAM) :]
    finally:
        stream.seek(start)
    return _old_excel()


def read_table(
    data: BinaryIO,
    *,
    filename: str,
    sheet: str | None = None,
    progress: Progress | None = None,
    recognise_header: HeaderRecogniser | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Open a CSV or XLSX file and return its header and its (lazily read) data rows.

    `sheet` names the workbook sheet to read (hidden or not); without it, the first
    visible sheet whose first row `recognise_header` accepts. `max_bytes` overrides the
    upload limit. Raises `FileProblem`, here or while the rows are read.
    """
    limit = upload_limit() if max_bytes is None else max_bytes
    stream, size = _seekable(data, limit)
    start = stream.tell()
    head = stream.read(8)
    stream.seek(start)
    if size == 0 or not head:
        raise empty_file()
    lower = filename.lower()
    if head.startswith(ZIP_MAGIC):
        table = read_xlsx(stream, sheet=sheet, progress=progress, recognise_header=recognise_header)
    elif head.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise _ole_problem(stream) if head.startswith(OLE_MAGIC) else _old_excel()
    elif lower.endswith((".xlsx", ".xlsm")):
        raise not_a_workbook()
    else:
        table = read_csv(stream, size=size, progress=progress)
    table.size = size
    return table
