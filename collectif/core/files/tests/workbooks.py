"""Workbooks for the reader's tests, hostile ones included: built here, never stored."""

import io
import zipfile
from collections.abc import Iterable
from typing import Any

import openpyxl


def xlsx_bytes(
    rows: Iterable[list[Any]],
    *,
    title: str = "Data",
    extra_sheets: Iterable[tuple[str, Iterable[list[Any]]]] = (),
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, extra_rows in extra_sheets:
        other = book.create_sheet(name)
        for row in extra_rows:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_values(content: bytes, cached: bytes) -> bytes:
    """Write the value Excel would have cached for a formula: openpyxl cannot."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v />", cached, 1)
            target.writestr(info, data)
    return out.getvalue()


def zip_bomb(*, declared_size: int | None = None) -> bytes:
    """A workbook whose sheet inflates to 300 MB of zeros (about 300 KB compressed)."""
    legit = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Code", "Value"], ["a", 1]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in legit.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, legit.read(info.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = b"0" * (1024 * 1024)
            for _ in range(300):
                member.write(zeros)
    content = out.getvalue()
    if declared_size is not None:
        content = _lie_about_size(content, "xl/worksheets/sheet1.xml", declared_size)
    return content


def _lie_about_size(content: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for one member (headers and directory)."""
    data = bytearray(content)
    encoded = name.encode()
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo(name)
    local = info.header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            data[position + 24 : position + 28] = size.to_bytes(4, "little")
        position += 4
    return bytes(data)
