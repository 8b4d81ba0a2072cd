"""Hostile and awkward partner files, generated here (never stored), with what must come out.

Each `Case` is a file as a partner (or an attacker) could send it, and two expectations:
`expected`, what the reader gives (a refusal code, or the exact header and rows), and
`imported`, what the measurement importer makes of it for `mentoring_dataset` (a
problem code it must report, or the exact values it stores). The files use that
dataset's codes and members so the same corpus runs through both.
"""

import codecs
import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import openpyxl
from openpyxl.chart import BarChart, Reference

from collectif.core.files import Row, header_role
from collectif.core.files.tests.workbooks import xlsx_bytes

Values = dict[tuple[str, str], Decimal]


@dataclass(frozen=True)
class Read:
    """What the reader must give: the header row and every data row, numbered."""

    headers: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    content: bytes
    expected: str | Read
    imported: str | Values
    sheet: str | None = None


def recognise(headers: list[str]) -> bool:
    """An importer's header check: a value column and an indicator column."""
    aliases = {
        "value": ("value", "valeur"),
        "code": ("indicator code", "code de l indicateur", "code"),
    }
    return {header_role(header, aliases) for header in headers} >= {"value", "code"}


EN = ["Indicator code", "Age group", "Value"]
FR = ["Code de l'indicateur", "Groupe d'âge", "Valeur"]
ROWS = [
    ["young_people_served", "", "1200"],
    ["young_people_served", "12-17", "400"],
    ["active_mentors", "", "35"],
]
FR_ROWS = [
    ["young_people_served", "", "1 200"],
    ["young_people_served", "12 à 17 ans", "400"],
    ["active_mentors", "", "35"],
]
VALUES: Values = {
    ("young_people_served", ""): Decimal(1200),
    ("young_people_served", "age:12-17"): Decimal(400),
    ("active_mentors", ""): Decimal(35),
}
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3"]
EXCEL_ERRORS = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def read(headers: list[str], rows: Iterable[list[str]], *, first: int = 2) -> Read:
    """The reader's expected output: empty rows skipped, numbers following the file."""
    numbered = [(n, row) for n, row in enumerate(rows, start=first) if any(row)]
    return Read(headers, numbered)


def text(headers: list[str], rows: Iterable[list[str]], delimiter: str = ",") -> str:
    lines = [delimiter.join(headers), *(delimiter.join(row) for row in rows)]
    return "\r\n".join(lines) + "\r\n"


def csv_case(
    name: str,
    content: str | bytes,
    expected: str | Read,
    imported: str | Values | None = None,
    *,
    encoding: str = "utf-8",
    filename: str = "data.csv",
) -> Case:
    data = content.encode(encoding) if isinstance(content, str) else content
    if imported is None:
        imported = expected if isinstance(expected, str) else VALUES
    return Case(name, filename, data, expected, imported)


# --- Encodings -------------------------------------------------------------------------


def _encodings() -> Iterator[Case]:
    french = text(FR, FR_ROWS, ";")
    accepted = read(FR, FR_ROWS)
    for encoding, bom in [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("cp1252", b""),
        ("latin-1", b""),
        ("utf-16", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32", b""),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
    ]:
        label = f"{encoding}{' with BOM' if bom or encoding in ('utf-16', 'utf-32') else ''}"
        yield csv_case(f"encoding {label}", bom + french.encode(encoding), accepted)
    yield csv_case(
        "shift-jis",
        "コード;値\r\n若者;12\r\n".encode("shift_jis") * 3,
        "unknown_encoding",
    )
    yield csv_case("macroman", french.encode("mac_roman"), "unknown_encoding")
    yield csv_case(
        "cyrillic cp1251",
        "Код;Значение\r\nмолодежь;12\r\n" * 5,
        "unknown_encoding",
        encoding="cp1251",
    )
    yield csv_case("binary noise", bytes(range(256)) * 20, "unknown_encoding")
    header, body = french.split("\r\n", 1)
    yield csv_case(
        "utf-8 header, cp1252 rows",
        (header + "\r\n").encode() + body.encode("cp1252"),
        "mixed_encoding",
    )
    yield csv_case(
        "cp1252 header, utf-8 rows",
        (header + "\r\n").encode("cp1252") + body.encode(),
        "mixed_encoding",
    )
    yield csv_case(
        "utf-8 BOM over cp1252 text", codecs.BOM_UTF8 + french.encode("cp1252"), "mixed_encoding"
    )
    many = french + "".join(f"young_people_served;;{n}\r\n" for n in range(3000))
    yield csv_case(
        "cp1252 rows after 64 KB of utf-8",
        many.encode() + "active_mentors;Unité;3\r\n".encode("cp1252"),
        "mixed_encoding",
    )


# --- Separators, BOMs and NULs -----------------------------------------------------------


def _separators() -> Iterator[Case]:
    for delimiter in (";", ",", "\t"):
        yield csv_case(f"separator {delimiter!r}", text(EN, ROWS, delimiter), read(EN, ROWS))
    mixes = [(",", ";"), (";", ","), ("\t", ";"), (";", "\t"), (",", "\t")]
    for header, rows in mixes:
        content = delimiter_join(EN, header) + "\r\n" + text([], ROWS, rows).lstrip("\r\n")
        yield csv_case(f"header {header!r}, rows {rows!r}", content, "mixed_delimiters")
    decimal = [["young_people_served", "", "1200"], ["caring_adult_share", "", "87,5"]]
    yield csv_case(
        "header ',', rows ';' with decimal commas",
        delimiter_join(EN, ",") + "\r\n" + text([], decimal, ";").lstrip("\r\n"),
        "mixed_delimiters",
    )
    quoted = 'Indicator code,Value\r\ncaring_adult_share,"87,5"\r\nactive_mentors,"1,200"\r\n'
    yield csv_case(
        "quoted decimal comma",
        quoted,
        Read(
            ["Indicator code", "Value"],
            [(2, ["caring_adult_share", "87,5"]), (3, ["active_mentors", "1,200"])],
        ),
        {("caring_adult_share", ""): Decimal("87.5"), ("active_mentors", ""): Decimal(1200)},
    )
    pipes = "Indicator code|Value\r\nactive_mentors|3\r\n"
    yield csv_case(
        "pipe separator",
        pipes,
        Read(["Indicator code|Value"], [(2, ["active_mentors|3"])]),
        "missing_column",
    )
    yield csv_case("old Mac line endings", text(EN, ROWS).replace("\r\n", "\r"), read(EN, ROWS))
    yield csv_case("Unix line endings", text(EN, ROWS).replace("\r\n", "\n"), read(EN, ROWS))


def delimiter_join(cells: list[str], delimiter: str) -> str:
    return delimiter.join(cells)


def _boms_and_nuls() -> Iterator[Case]:
    plain = text(EN, ROWS)
    yield csv_case(
        "BOM on every line",
        "".join("\ufeff" + line for line in plain.splitlines(True)),
        read(EN, ROWS),
    )
    yield csv_case(
        "BOM before a header cell", plain.replace(",Value", ",\ufeffValue"), read(EN, ROWS)
    )
    yield csv_case("two BOMs", "\ufeff\ufeff" + plain, read(EN, ROWS))
    yield csv_case(
        "utf-16 BOM twice",
        codecs.BOM_UTF16_LE + ("\ufeff" + plain).encode("utf-16-le"),
        read(EN, ROWS),
    )
    yield csv_case("NUL in the header", plain.replace("Age", "A\x00ge"), "nul_bytes")
    yield csv_case("NUL in a value", plain.replace("1200", "12\x0000"), "nul_bytes")
    yield csv_case("NUL at the end", plain + "\x00", "nul_bytes")
    filler = "".join(f"young_people_served,,{n}\r\n" for n in range(6000))
    yield csv_case("NUL after 64 KB", plain + filler + "active_mentors,,\x003\r\n", "nul_bytes")
    yield csv_case("NUL bytes everywhere", b"\x00" * 5000, "nul_bytes")


# --- Size, columns, quotes ---------------------------------------------------------------


def _sizes_and_quotes() -> Iterator[Case]:
    yield csv_case(
        "a cell of 200,000 characters",
        text(EN, [["active_mentors", "x" * 200_000, "3"]]),
        "cell_too_long",
    )
    yield csv_case(
        "a 1 MB line without separators", "Indicator code,Value\r\n" + "y" * MB, "cell_too_long"
    )
    yield csv_case(
        "1,001 header columns",
        text([*EN, *(f"c{n}" for n in range(998))], ROWS),
        "too_many_columns",
    )
    yield csv_case(
        "50,000 columns in a row",
        text(EN, [*ROWS, ["active_mentors", "", "3", *["1"] * 50_000]]),
        "too_many_columns",
    )
    trailing = [row + [""] * 1500 for row in ROWS]
    yield csv_case(
        "1,500 empty columns on the right",
        text(EN + [""] * 1500, trailing, ";"),
        read(EN + [""] * 1500, trailing),
    )
    yield csv_case(
        "an unclosed quotation mark",
        'Indicator code,Value\r\nactive_mentors,"3\r\nyoung_people_served,1200\r\n',
        "unbalanced_quote",
    )
    yield csv_case(
        "an unclosed quotation mark on the last line",
        'Indicator code,Value\r\nactive_mentors,3\r\nyoung_people_served,"1200',
        "unbalanced_quote",
    )
    yield csv_case(
        "an unclosed quotation mark before 200 KB",
        'Indicator code,Value\r\nactive_mentors,"3\r\n' + "young_people_served,1\r\n" * 10_000,
        "unbalanced_quote",
    )
    yield csv_case(
        "text after a closing quotation mark",
        'Indicator code,Value\r\n"active" mentors,3\r\n',
        "unbalanced_quote",
    )
    yield csv_case(
        "a quotation mark inside a cell",
        'Indicator code,Value\r\nactive"mentors,3\r\n',
        Read(["Indicator code", "Value"], [(2, ['active"mentors', "3"])]),
        "unknown_indicator",
    )
    yield csv_case(
        "a quoted cell over two lines",
        'Indicator code,Notes,Value\r\nactive_mentors,"two\r\nlines",3\r\n',
        Read(["Indicator code", "Notes", "Value"], [(2, ["active_mentors", "two\r\nlines", "3"])]),
        {("active_mentors", ""): Decimal(3)},
    )


MB = 1024 * 1024


# --- Formula injection -------------------------------------------------------------------


def _injection() -> Iterator[Case]:
    for payload in PAYLOADS:
        quoted = '"' + payload.replace('"', '""') + '"'
        for column, problem in (
            (0, "unknown_indicator"),
            (1, "unknown_member"),
            (2, "not_a_number"),
        ):
            rows = [list(row) for row in ROWS]
            rows[2][column] = payload
            written = [list(row) for row in rows]
            written[2][column] = quoted
            yield csv_case(
                f"{payload!r} in column {EN[column]!r}",
                text(EN, written, ";"),
                read(EN, rows),
                problem,
            )
        yield Case(
            f"{payload!r} as text in a workbook's value column",
            "data.xlsx",
            _workbook_with_text([EN, *ROWS[:2], ["active_mentors", None, payload]]),
            read(EN, [*ROWS[:2], ["active_mentors", "", payload]]),
            "not_a_number",
        )


def _workbook_with_text(rows: list[list[Any]]) -> bytes:
    """A workbook whose cells are all text, even those that look like formulas."""
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Data"
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Numbers in both languages' conventions ------------------------------------------------


def _numbers() -> Iterator[Case]:
    served = "young_people_served"
    share = "caring_adult_share"
    spellings: list[tuple[str, str, str, str | Decimal]] = [
        (",", served, "1200", Decimal(1200)),
        (",", served, '"1,200"', Decimal(1200)),
        (",", served, "1 200", Decimal(1200)),
        (",", served, "1.200", "not_whole"),
        (",", share, '"87,5"', Decimal("87.5")),
        (",", served, "１２００", Decimal(1200)),
        (",", served, "-0", Decimal(0)),
        (",", served, "1.2E+03", Decimal(1200)),
        (",", served, "1e308", "not_a_number"),
        (",", served, "NaN", "not_a_number"),
        (",", served, "Infinity", "not_a_number"),
        (";", served, "1 200", Decimal(1200)),
        (";", served, "1\u202f200", Decimal(1200)),
        (";", served, "1\u00a0200", Decimal(1200)),
        (";", served, "1.200", "not_whole"),
        (";", served, "1,200", "not_whole"),
        (";", share, "12,5", Decimal("12.5")),
        (";", share, "12,5 %", Decimal("12.5")),
        (";", served, "１２００", Decimal(1200)),
        (";", served, "-0", Decimal(0)),
        (";", served, "1,2E+03", Decimal(1200)),
        (";", served, "1e308", "not_a_number"),
        (";", served, "-inf", "not_a_number"),
    ]
    for delimiter, code, spelling, outcome in spellings:
        headers = ["Indicator code", "Value"] if delimiter == "," else ["Code", "Valeur"]
        content = f"{delimiter.join(headers)}\r\n{code}{delimiter}{spelling}\r\n"
        cell = spelling.strip('"')
        imported = outcome if isinstance(outcome, str) else {(code, ""): outcome}
        yield csv_case(
            f"{spelling!r} in a {delimiter!r} file",
            content,
            read(headers, [[code, cell]]),
            imported,
        )


# --- Rows and headers ----------------------------------------------------------------------


def _rows_and_headers() -> Iterator[Case]:
    yield csv_case("French headers, English file", text(FR, ROWS), read(FR, ROWS))
    yield csv_case("English headers, French file", text(EN, FR_ROWS, ";"), read(EN, FR_ROWS))
    yield csv_case(
        "a duplicated row",
        text(EN, [*ROWS, ROWS[2]]),
        read(EN, [*ROWS, ROWS[2]]),
        "duplicate",
    )
    yield csv_case(
        "two value columns",
        text([*EN, "Value"], [[*row, "9"] for row in ROWS]),
        read([*EN, "Value"], [[*row, "9"] for row in ROWS]),
        "duplicate_column",
    )
    yield csv_case(
        "a title row above the header",
        "Rapport T1 2026\r\n\r\n" + text(EN, ROWS),
        Read(["Rapport T1 2026"], [(3, EN), *read(EN, ROWS, first=4).rows]),
        "missing_column",
    )
    blank = [[code, member, ""] for code, member, _value in ROWS]
    yield csv_case("no value in any row", text(EN, blank), read(EN, blank), "no_values")
    yield csv_case("empty file", b"", "empty")
    yield csv_case("only blank lines and separators", "\r\n;;;\r\n\r\n", "empty")
    yield csv_case("headers only", text(EN, []), "no_data")


# --- Workbooks -----------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]], **kwargs: Any) -> bytes:
    return xlsx_bytes(rows, **kwargs)


def patch(content: bytes, changes: dict[str, Callable[[bytes], bytes] | bytes | None]) -> bytes:
    """The workbook with members rewritten (a function), replaced or added (bytes), or
    removed (None): what openpyxl cannot write."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            change = changes.get(info.filename, b"keep")
            if change is None:
                continue
            data = source.read(info.filename)
            if callable(change):
                data = change(data)
            elif change != b"keep":
                data = change
            target.writestr(info, data)
        for name, change in changes.items():
            if name not in source.namelist() and isinstance(change, bytes):
                target.writestr(name, change)
    return out.getvalue()


NUMERIC: list[list[Any]] = [[code, member or None, int(value)] for code, member, value in ROWS]
SHEET = "xl/worksheets/sheet1.xml"


def _with_cell(cell: bytes) -> Callable[[bytes], bytes]:
    """Put a raw cell XML as C5 in a new row 5 of the sheet."""
    return lambda xml: xml.replace(b"</sheetData>", b'<row r="5">' + cell + b"</row></sheetData>")


def _workbooks() -> Iterator[Case]:
    base = _xlsx([EN, *NUMERIC])
    yield Case("a workbook", "data.xlsx", base, read(EN, ROWS), VALUES)
    yield Case("a French workbook", "données.xlsx", _xlsx([FR, *NUMERIC]), read(FR, ROWS), VALUES)
    for error in EXCEL_ERRORS:
        cell = b'<c r="C5" t="e"><v>' + error.encode() + b"</v></c>"
        yield Case(
            f"Excel error {error}",
            "data.xlsx",
            patch(base, {SHEET: _with_cell(cell)}),
            "excel_error",
            "excel_error",
        )
    yield Case(
        "a formula that gave #DIV/0!",
        "data.xlsx",
        patch(base, {SHEET: _with_cell(b'<c r="C5" t="e"><f>C2/0</f><v>#DIV/0!</v></c>')}),
        "excel_error",
        "excel_error",
    )
    for label, cell in (
        ("no value", b'<c r="C5"><f>C2*2</f></c>'),
        ("an empty value", b'<c r="C5"><f>C2*2</f><v/></c>'),
        ("a shared formula", b'<c r="C5"><f t="shared" si="0"/></c>'),
    ):
        yield Case(
            f"a formula with {label}",
            "data.xlsx",
            patch(base, {SHEET: _with_cell(cell)}),
            "formula_not_saved",
            "formula_not_saved",
        )
    cached = b'<c r="A5" t="str"><f>"active"&amp;"_mentors"</f><v>active_mentors</v></c>'
    yield Case(
        "formulas with saved results",
        "data.xlsx",
        patch(
            _xlsx([EN, *NUMERIC[:2]]),
            {SHEET: _with_cell(cached + b'<c r="C5"><f>10+25</f><v>35</v></c>')},
        ),
        Read(EN, [(2, ROWS[0]), (3, ROWS[1]), (5, ["active_mentors", "", "35"])]),
        VALUES,
    )
    notes_error = _xlsx([EN, *NUMERIC], extra_sheets=[("Notes", [["Total"], ["#DIV/0!"]])])
    yield Case(
        "an Excel error on a sheet not read", "data.xlsx", notes_error, read(EN, ROWS), VALUES
    )
    yield Case(
        "a date in the value column",
        "data.xlsx",
        _xlsx([EN, *NUMERIC[:2], ["active_mentors", None, date(2026, 3, 31)]]),
        read(EN, [*ROWS[:2], ["active_mentors", "", "2026-03-31"]]),
        "not_a_number",
    )
    yield Case(
        "1e308 in a workbook",
        "data.xlsx",
        _xlsx([EN, *NUMERIC[:2], ["active_mentors", None, 1e308]]),
        read(EN, [*ROWS[:2], ["active_mentors", "", str(10**308)]]),
        "too_large",
    )
    yield Case(
        "1,100 columns in a workbook",
        "data.xlsx",
        _xlsx([EN, *NUMERIC, ["active_mentors", None, 3, *[1] * 1100]]),
        "too_many_columns",
        "too_many_columns",
    )
    yield Case(
        "a title row above a workbook's header",
        "data.xlsx",
        _xlsx([["Rapport T1 2026"], [], EN, *NUMERIC]),
        "wrong_sheet",
        "wrong_sheet",
    )
    yield from _sheets(base)
    yield from _protected_and_macros(base)
    yield from _hostile_zips(base)


def _hidden(content: bytes, name: str, state: Literal["hidden", "veryHidden"] = "hidden") -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    book[name].sheet_state = state
    book.active = next(i for i, sheet in enumerate(book.worksheets) if sheet.title != name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheets(base: bytes) -> Iterator[Case]:
    stale: list[list[Any]] = [EN, ["active_mentors", None, 999]]
    two = _xlsx(stale, title="Old", extra_sheets=[("Data", [EN, *NUMERIC])])
    states: tuple[Literal["hidden", "veryHidden"], ...] = ("hidden", "veryHidden")
    for state in states:
        yield Case(
            f"a {state} first sheet",
            "data.xlsx",
            _hidden(two, "Old", state),
            read(EN, ROWS),
            VALUES,
        )
    only_hidden = _xlsx([["Notes"], ["x"]], title="Notes", extra_sheets=[("Data", [EN, *NUMERIC])])
    yield Case(
        "data only on a hidden sheet",
        "data.xlsx",
        _hidden(only_hidden, "Data"),
        "hidden_sheet",
        "hidden_sheet",
    )
    yield Case(
        "a hidden sheet asked for by name",
        "data.xlsx",
        _hidden(two, "Old"),
        read(EN, [["active_mentors", "", "999"]]),
        {("active_mentors", ""): Decimal(999)},
        sheet="Old",
    )
    yield Case(
        "empty sheets before the data",
        "data.xlsx",
        _xlsx(
            [], title="Empty", extra_sheets=[("Blank", [[None, None]]), ("Data", [EN, *NUMERIC])]
        ),
        read(EN, ROWS),
        VALUES,
    )
    yield Case("a chart sheet first", "data.xlsx", _chart_first(), read(EN, ROWS), VALUES)
    yield Case("an empty workbook", "data.xlsx", _xlsx([]), "empty", "empty")
    yield Case("a workbook with headers only", "data.xlsx", _xlsx([EN]), "no_data", "no_data")


def _chart_first() -> bytes:
    book = openpyxl.Workbook()
    data = book.worksheets[0]
    data.title = "Data"
    for row in [EN, *NUMERIC]:
        data.append(row)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=3, min_row=1, max_row=4))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _protected_and_macros(base: bytes) -> Iterator[Case]:
    book = openpyxl.load_workbook(io.BytesIO(base))
    sheet = book.worksheets[0]
    sheet.protection.sheet = True
    sheet.protection.password = "secret"
    out = io.BytesIO()
    book.save(out)
    yield Case("a protected sheet", "data.xlsx", out.getvalue(), read(EN, ROWS), VALUES)
    protected_book = patch(
        base,
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                b"<sheets>", b'<workbookProtection lockStructure="1"/><sheets>', 1
            )
        },
    )
    yield Case(
        "a protected workbook structure", "data.xlsx", protected_book, read(EN, ROWS), VALUES
    )
    macro = patch(
        base,
        {
            "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 40,
            "[Content_Types].xml": lambda xml: xml.replace(
                b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
            ),
        },
    )
    yield Case("a macro workbook (.xlsm)", "data.xlsm", macro, read(EN, ROWS), VALUES)
    yield Case(
        "a password-protected workbook",
        "data.xlsx",
        ole_file(
            {
                "EncryptionInfo": b"\x04\x00\x04\x00" * 1024,
                "EncryptedPackage": bytes(range(256)) * 16,
            }
        ),
        "encrypted",
        "encrypted",
    )
    yield Case(
        "an Excel 97-2003 workbook",
        "data.xls",
        ole_file({"Workbook": b"\x09\x08" * 2048}),
        "old_excel",
        "old_excel",
    )


def _hostile_zips(base: bytes) -> Iterator[Case]:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    for label, member, prologue in (
        ("billion laughs in a sheet", SHEET, laughs),
        ("an external entity in the workbook", "xl/workbook.xml", external),
        ("a DOCTYPE in the content types", "[Content_Types].xml", b"<!DOCTYPE Types>"),
        ("an external entity in the styles", "xl/styles.xml", external),
    ):
        yield Case(
            label,
            "data.xlsx",
            patch(base, {member: _prologue(prologue)}),
            "xml_entities",
            "xml_entities",
        )
    yield Case(
        "a zip bomb", "data.xlsx", patch(base, {SHEET: b"0" * (5 * MB)}), "zip_bomb", "zip_bomb"
    )
    yield Case(
        "many members adding up to a bomb", "data.xlsx", _spread_bomb(base), "zip_bomb", "zip_bomb"
    )
    yield Case(
        "a truncated workbook", "data.xlsx", base[: len(base) // 2], "truncated", "truncated"
    )
    yield Case("a damaged workbook", "data.xlsx", _corrupt(base), "damaged", "damaged")
    yield Case(
        "a Word document",
        "report.docx",
        _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
        "zip_not_workbook",
        "zip_not_workbook",
    )
    yield Case(
        "an OpenDocument spreadsheet",
        "data.ods",
        _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            }
        ),
        "zip_not_workbook",
        "zip_not_workbook",
    )
    yield Case(
        "a zip holding a workbook",
        "data.zip",
        _zip({"data.xlsx": base}),
        "zip_not_workbook",
        "zip_not_workbook",
    )
    yield from _wrong_extensions(base)


def _wrong_extensions(base: bytes) -> Iterator[Case]:
    plain = text(EN, ROWS).encode()
    yield Case("a workbook named .csv", "data.csv", base, read(EN, ROWS), VALUES)
    yield Case("a workbook named .xls", "data.xls", base, read(EN, ROWS), VALUES)
    yield Case("a CSV named .txt", "data.txt", plain, read(EN, ROWS), VALUES)
    yield Case("a CSV named .xlsx", "data.xlsx", plain, "not_xlsx", "not_xlsx")
    yield Case(
        "a PNG named .xlsx", "data.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(200), "not_xlsx", "not_xlsx"
    )
    yield Case(
        "a PDF named .csv",
        "data.csv",
        b"%PDF-1.7\n" + bytes(range(1, 256)) * 4,
        "unknown_encoding",
        "unknown_encoding",
    )
    yield Case(
        "a Word document named .xlsx",
        "data.xlsx",
        _zip({"word/document.xml": b"<w/>"}),
        "zip_not_workbook",
        "zip_not_workbook",
    )


def _prologue(prologue: bytes) -> Callable[[bytes], bytes]:
    def rewrite(xml: bytes) -> bytes:
        if xml.startswith(b"<?xml"):
            xml = xml[xml.index(b"?>") + 2 :]
        return prologue + xml

    return rewrite


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _spread_bomb(base: bytes) -> bytes:
    """Members each under the 1 MB ratio check, together over the 200 MB limit."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
        filler = zipfile.ZipInfo("xl/media/filler0.bin")
        archive.writestr(filler, b"0" * (MB - 1), compress_type=zipfile.ZIP_DEFLATED)
    content = bytearray(out.getvalue())
    # Repeat the filler's directory entry, pointing at the same data, 220 times over.
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    end = bytes(content).rfind(b"PK\x05\x06")
    directory_start = int.from_bytes(content[end + 16 : end + 20], "little")
    filler_entry = bytes(content).rfind(b"PK\x01\x02", directory_start, end)
    entry = bytes(content[filler_entry:end])
    extra = b"".join(
        entry.replace(b"filler0.bin", f"filler{n:03}.bn".encode()[:11]) for n in range(1, 221)
    )
    count = len(archive.infolist()) + 220
    footer = bytearray(content[end:])
    footer[8:10] = count.to_bytes(2, "little")
    footer[10:12] = count.to_bytes(2, "little")
    size = int.from_bytes(footer[12:16], "little") + len(extra)
    footer[12:16] = size.to_bytes(4, "little")
    return bytes(content[:end]) + extra + bytes(footer)


def _corrupt(base: bytes) -> bytes:
    """The workbook with one byte of its sheet's compressed data changed."""
    archive = zipfile.ZipFile(io.BytesIO(base))
    info = archive.getinfo(SHEET)
    data = bytearray(base)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A compound (OLE) file holding the given streams, each padded to 4,096 bytes or more
    so that they live in regular sectors: how Excel stores encrypted and .xls workbooks."""
    sector = 512
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end]  # sector 0: the FAT, sector 1: the directory
    bodies = b""
    starts = []
    for data in streams.values():
        padded = data.ljust(max(4096, -(-len(data) // sector) * sector), b"\x00")
        first = len(fat)
        count = len(padded) // sector
        starts.append((first, len(data)))
        fat += [*range(first + 1, first + count), end]
        bodies += padded
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, *, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded) if name else 0, kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, right=no_stream, child=1, start=end, size=0)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else no_stream
        first, size = starts[index]
        directory += entry(name, 2, right=right, child=no_stream, start=first, size=size)
    directory = directory.ljust(sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + bodies


def cases() -> list[Case]:
    """Every case of the corpus, each with a unique name."""
    everything = [
        *_encodings(),
        *_separators(),
        *_boms_and_nuls(),
        *_sizes_and_quotes(),
        *_injection(),
        *_numbers(),
        *_rows_and_headers(),
        *_workbooks(),
    ]
    names = [case.name for case in everything]
    assert len(names) == len(set(names)), "corpus case names must be unique"
    return everything
