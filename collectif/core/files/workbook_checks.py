"""What a workbook is made of, checked before a spreadsheet library opens it.

A workbook is a zip of XML. Before python-calamine or openpyxl reads it, the archive is
checked here: that it is whole and is a workbook (not a Word document or a plain zip),
that it would not inflate beyond reason (zip bombs), that none of its XML declares a
DOCTYPE or entities ("billion laughs", external entities), and, while each member is
inflated against its declared size and checksum, which cells of each sheet show an Excel
error or hold a formula whose result was never saved: the libraries read both as blank.
"""

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO

from defusedxml import DefusedXmlException, ElementTree
from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import MEGABYTE, FileProblem, file_problem, not_a_workbook

CHUNK_BYTES = 1024 * 1024
# Refuse workbooks that would inflate beyond reason (zip bombs).
XLSX_MAX_UNCOMPRESSED = 200 * MEGABYTE
XLSX_MAX_RATIO = 100
# Ratios are only meaningful on members big enough to hurt.
XLSX_RATIO_MIN_BYTES = MEGABYTE

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_XML_MEMBER = (".xml", ".rels", ".vml")
_ENTITIES = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# A cell, its attributes and its content; a formula; a cached value; the cell's type.
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v\s*(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
_STRING_TYPE = re.compile(rb"""\bt\s*=\s*["']str["']""")
_REFERENCE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7})["']""")
_SUSPECTS = (b't="e"', b"t='e'", b"<f", b":f>", b":f ")


@dataclass
class CellProblem:
    """A cell Excel shows as an error, or a formula without a saved result."""

    cell: str
    error: str = ""


@dataclass
class Sheet:
    name: str
    part: str
    hidden: bool


@dataclass
class Contents:
    """A workbook's sheets, the XML size of its sheets, and the first bad cell of each."""

    sheets: list[Sheet]
    sheet_bytes: int
    bad_cells: dict[str, CellProblem] = field(default_factory=dict)

    def sheet(self, name: str) -> Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.name == name), None)


def zip_bomb() -> FileProblem:
    return file_problem(
        "zip_bomb",
        _(
            "This workbook would take more than %(limit)s MB once opened, which no "
            "template needs. Copy the data into a new workbook or save it as “CSV UTF-8”, "
            "then upload it again."
        ),
        limit=XLSX_MAX_UNCOMPRESSED // MEGABYTE,
    )


def _truncated() -> FileProblem:
    return file_problem(
        "truncated",
        _(
            "This file starts like an Excel workbook but is incomplete: it was probably cut "
            "short while being copied, downloaded or sent. Open the original in Excel, "
            "save it again and upload that copy."
        ),
    )


def _damaged() -> FileProblem:
    return file_problem(
        "damaged",
        _(
            "This workbook is damaged: its contents do not match what it declares. Open "
            "it in Excel (which may offer to repair it), save it as a new workbook and "
            "upload that copy."
        ),
    )


def xml_entities() -> FileProblem:
    return file_problem(
        "xml_entities",
        _(
            "This workbook holds XML declarations (a DOCTYPE or entities) that Excel never "
            "writes and that could be used to attack the server, so it is not opened. Open "
            "it in Excel or LibreOffice, save it as a new workbook (.xlsx) and upload it."
        ),
    )


def _other_zip(names: set[str], archive: zipfile.ZipFile) -> FileProblem:
    """Say what a zip that is not a workbook is, and what to do instead."""
    if "word/document.xml" in names:
        message = _(
            "This is a Word document (.docx), not an Excel workbook. Copy its table into "
            "the template in Excel, save it and upload the workbook."
        )
    elif "ppt/presentation.xml" in names:
        message = _(
            "This is a PowerPoint presentation (.pptx), not an Excel workbook. Copy its "
            "figures into the template in Excel, save it and upload the workbook."
        )
    elif "mimetype" in names and archive.read("mimetype")[:100].startswith(
        b"application/vnd.oasis.opendocument"
    ):
        message = _(
            "This is an OpenDocument file (LibreOffice, .ods), not an Excel workbook. In "
            "LibreOffice choose File › Save As, pick “Excel 2007-365 (.xlsx)” and upload "
            "that file."
        )
    else:
        message = _(
            "This is a zip archive, not an Excel workbook. Unzip it, then upload the "
            "workbook or CSV file it holds."
        )
    return file_problem("zip_not_workbook", message)


def _check_sizes(archive: zipfile.ZipFile) -> int:
    """Refuse zip bombs from what the archive declares; return the sheets' XML size."""
    total = 0
    sheets = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= XLSX_RATIO_MIN_BYTES and ratio > XLSX_MAX_RATIO:
            raise zip_bomb()
        if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
            sheets += info.file_size
    if total > XLSX_MAX_UNCOMPRESSED:
        raise zip_bomb()
    return sheets


def _cell_problem(match: re.Match[bytes]) -> CellProblem | None:
    attributes, content = match.group(1), match.group(2) or b""
    reference = _REFERENCE.search(attributes)
    cell = reference.group(1).decode().upper() if reference else "?"
    if _ERROR_TYPE.search(attributes):
        value = _VALUE.search(content)
        error = (value.group(1) or b"") if value else b""
        return CellProblem(cell, error.decode("utf-8", "replace")[:20] or "#?")
    if not _FORMULA.search(content):
        return None
    value = _VALUE.search(content)
    if value is None or (not value.group(1) and not _STRING_TYPE.search(attributes)):
        return CellProblem(cell)
    return None


class _SheetScan:
    """Finds a sheet's first bad cell as its XML goes by, a row at a time.

    Most chunks hold no error type and no formula: two substring searches dismiss them,
    so a 100,000-row sheet costs little more than inflating it.
    """

    def __init__(self) -> None:
        self._pending = b""
        self.problem: CellProblem | None = None

    def feed(self, chunk: bytes) -> None:
        if self.problem is not None:
            return
        data = self._pending + chunk
        # Cut after the last end of a row (or of a cell): no cell straddles the cut.
        cut = data.rfind(b"row>") + len(b"row>")
        if cut < len(b"row>"):
            cut = data.rfind(b"c>") + len(b"c>")
        if cut < len(b"c>"):
            self._pending = data
            return
        self._look(data[:cut])
        self._pending = data[cut:]

    def close(self) -> None:
        if self.problem is None:
            self._look(self._pending)

    def _look(self, region: bytes) -> None:
        if not any(suspect in region for suspect in _SUSPECTS):
            return
        for match in _CELL.finditer(region):
            problem = _cell_problem(match)
            if problem is not None:
                self.problem = problem
                return


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> CellProblem | None:
    """Inflate a member against its declared size and checksum, checking its XML.

    python-calamine trusts the sizes a zip declares; Python's zipfile stops at the
    declared size and checks the CRC, so a member that lies about its size (a zip bomb
    in disguise) is refused here before calamine opens it.
    """
    name = info.filename
    xml = name.lower().endswith(_XML_MEMBER)
    scan = _SheetScan() if name.startswith("xl/worksheets/") and xml else None
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_BYTES):
            if xml:
                window = tail + chunk
                if b"<!" in window and _ENTITIES.search(window):
                    raise xml_entities()
            tail = chunk[-16:]
            if scan is not None:
                scan.feed(chunk)
    if scan is None:
        return None
    scan.close()
    return scan.problem


def _target(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheets(archive: zipfile.ZipFile) -> list[Sheet]:
    """The workbook's sheets in order, each with its XML part and whether it is hidden."""
    try:
        book = ElementTree.fromstring(archive.read(WORKBOOK))
        rels = ElementTree.fromstring(archive.read(WORKBOOK_RELS))
    except KeyError:
        raise not_a_workbook() from None
    except DefusedXmlException:
        raise xml_entities() from None
    except ElementTree.ParseError:
        raise not_a_workbook() from None
    targets = {
        element.get("Id", ""): _target(element.get("Target", ""))
        for element in rels.iter()
        if _local(element.tag) == "Relationship"
    }
    sheets = []
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rel = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        sheets.append(
            Sheet(
                name=element.get("name", ""),
                part=targets.get(rel, ""),
                hidden=element.get("state", "visible") in ("hidden", "veryHidden"),
            )
        )
    return sheets


def check_workbook(stream: IO[bytes]) -> Contents:
    """Check a workbook's archive and XML; say what it holds (raises FileProblem)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _truncated() from None
    names = set(archive.namelist())
    sheet_bytes = _check_sizes(archive)
    if WORKBOOK not in names:
        if "xl/workbook.bin" in names:
            raise not_a_workbook()
        raise _other_zip(names, archive)
    bad_cells: dict[str, CellProblem] = {}
    try:
        for info in archive.infolist():
            problem = _inflate(archive, info)
            if problem is not None:
                bad_cells[info.filename] = problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError):
        raise _damaged() from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise not_a_workbook() from None
    return Contents(sheets=_sheets(archive), sheet_bytes=sheet_bytes, bad_cells=bad_cells)


def bad_cell(problem: CellProblem, *, sheet: str) -> FileProblem:
    if problem.error:
        return file_problem(
            "excel_error",
            _(
                "Cell %(cell)s of the sheet “%(sheet)s” shows the Excel error %(error)s "
                "instead of a value. Correct the formula, or type the value, then save the "
                "workbook and upload it again."
            ),
            cell=problem.cell,
            sheet=sheet,
            error=problem.error,
        )
    return file_problem(
        "formula_not_saved",
        _(
            "Cell %(cell)s of the sheet “%(sheet)s” holds a formula whose result was never "
            "saved (the workbook was written by a program, not saved by a spreadsheet). "
            "Open it in Excel or LibreOffice, save it, and upload it again."
        ),
        cell=problem.cell,
        sheet=sheet,
    )
