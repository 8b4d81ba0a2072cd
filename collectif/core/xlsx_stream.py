"""One-sheet XLSX files written row by row, for exports of millions of rows.

A general writer (openpyxl, xlsxwriter) does its work cell by cell in Python: about
15,000 rows a second for an export of eleven columns, over a minute for a million
values. An export's cells repeat (the same organisation, indicator and period on
thousands of rows), so their XML can be made once per distinct value and each row
becomes one string join. That is all this module does: it writes the parts a
spreadsheet needs (content types, workbook, one sheet, minimal styles) into a zip,
streaming the sheet, so memory stays flat whatever the number of rows (decision 0028).

Cells are written in order without references (the `r` attribute is optional in
SpreadsheetML), text as inline strings, numbers as numbers. Text is made safe for XML
here; making it inert in a spreadsheet is `neutralise`'s job, before.
"""

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.sax.saxutils import escape, quoteattr

EMPTY = "<c/>"
# Characters XML 1.0 cannot hold: dropped rather than written into a file no reader opens.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Sheet names may not hold these, nor be longer than 31 characters.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_FLUSH_EVERY = 2000

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def text_cell(value: str) -> str:
    """A text cell's XML; an empty text is an empty cell."""
    if not value:
        return EMPTY
    text = escape(_NOT_XML.sub("", value))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def number_cell(value: Decimal | int | float | None) -> str:
    """A number cell's XML, written in full (never 1E+3), or an empty cell."""
    if value is None:
        return EMPTY
    number = Decimal(value)
    if not number.is_finite():
        return EMPTY
    return f"<c><v>{number:f}</v></c>"


def sheet_name(name: str) -> str:
    """A name a spreadsheet accepts for a sheet."""
    return _NOT_IN_SHEET_NAME.sub(" ", _NOT_XML.sub("", name)).strip()[:31] or "Sheet1"


class XlsxStream:
    """`with XlsxStream(target, "Values") as sheet: sheet.row(cells)`, cells being the
    XML of `text_cell` and `number_cell`, made once per distinct value by the caller."""

    def __init__(self, target: str | Path | IO[bytes], name: str) -> None:
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._name = name
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._pending: list[str] = [_SHEET_START]

    def row(self, cells: list[str]) -> None:
        self._pending.append("<row>" + "".join(cells) + "</row>")
        if len(self._pending) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self._sheet.write("".join(self._pending).encode())
        self._pending.clear()

    def close(self) -> None:
        self._pending.append(_SHEET_END)
        self._flush()
        self._sheet.close()
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr(
            "xl/workbook.xml", _WORKBOOK.format(name=quoteattr(sheet_name(self._name)))
        )
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()

    def __enter__(self) -> "XlsxStream":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._sheet.close()
            self._zip.close()
