"""Blank templates a partner fills in: one row per cell the dataset asks for.

Long format (one row per indicator and breakdown, the value last) because it is what
people fill in without mistakes, what every tool exports, and what `rows_to_cells` reads
back whatever the language of the headers. Names and definitions are neutralised, so
no cell of a template ever runs as a formula. The French CSV uses `;` and UTF-8 with a
BOM, which is what French Excel opens correctly with a double-click; the English one
uses `,` (with a BOM too, so English Excel shows accented names correctly).
"""

import csv
import io
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.core.spreadsheets import neutralise
from collectif.measurement.domain.cells import ExpectedCell, expected_cells
from collectif.measurement.models import Dataset, Dimension, Indicator

LANGUAGES = ("en", "fr")
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER_CODE = gettext_lazy("Indicator code")
HEADER_NAME = gettext_lazy("Indicator name")
HEADER_UNIT = gettext_lazy("Unit")
HEADER_VALUE = gettext_lazy("Value")


def _translated(obj: object, field: str, language: str) -> str:
    value = getattr(obj, f"{field}_{language}", "") or getattr(obj, field, "")
    return str(value or "")


def _dimensions(cells: list[ExpectedCell]) -> list[Dimension]:
    seen: dict[int, Dimension] = {}
    for cell in cells:
        for dimension in cell.indicator.dimensions.all():
            seen.setdefault(dimension.pk, dimension)
    return sorted(seen.values(), key=lambda d: (d.position, d.code))


def template_rows(dataset: Dataset, *, language: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the template, in `language`."""
    cells = expected_cells(dataset)
    dimensions = _dimensions(cells)
    with translation.override(language):
        headers = [
            str(HEADER_CODE),
            str(HEADER_NAME),
            *[_translated(d, "name", language) for d in dimensions],
            str(HEADER_UNIT),
            str(HEADER_VALUE),
        ]
        rows = []
        for cell in cells:
            indicator = cell.indicator
            chosen = {member.dimension_id: member for member in cell.members}
            rows.append(
                [
                    indicator.code,
                    neutralise(_translated(indicator, "name", language)),
                    *[
                        neutralise(_translated(chosen[d.pk], "name", language))
                        if d.pk in chosen
                        else ""
                        for d in dimensions
                    ],
                    str(indicator.get_unit_display()),
                    "",
                ]
            )
    return headers, rows


def template_filename(dataset: Dataset, *, language: str, fmt: str) -> str:
    return f"{dataset.code}-{language}.{fmt}"


def write_template(dataset: Dataset, *, language: str, fmt: str, out: BinaryIO) -> None:
    """Write the dataset's blank template to `out` as CSV or XLSX in `language`."""
    if language not in LANGUAGES or fmt not in FORMATS:
        raise ValueError(f"unsupported template {language}/{fmt}")
    headers, rows = template_rows(dataset, language=language)
    if fmt == "csv":
        _write_csv(headers, rows, language=language, out=out)
    else:
        _write_xlsx(dataset, headers, rows, language=language, out=out)


def _write_csv(headers: list[str], rows: list[list[str]], *, language: str, out: BinaryIO) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, delimiter=";" if language == "fr" else ",")
        writer.writerow(headers)
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()


def _instructions(dataset: Dataset, *, language: str) -> list[list[str]]:
    with translation.override(language):
        lines = [
            [_("How to fill in this template")],
            [
                _("Dataset: %(name)s (%(code)s)")
                % {"name": _translated(dataset, "name", language), "code": dataset.code}
            ],
            [],
            [
                _(
                    "1. Write each number in the “Value” column, on the row of its indicator "
                    "and breakdown. A row with no age group, gender or province is the total."
                )
            ],
            [_("2. Leave a value empty if you do not report it. Write 0 if there were none.")],
            [
                _(
                    "3. Do not change the codes, the names or the column headers, and do not "
                    "add rows that combine two breakdowns (an age group and a gender together)."
                )
            ],
            [
                _(
                    "4. Numbers: digits only, decimals with a comma or a point (12,5 or 12.5). "
                    "Counts are whole numbers of 0 or more. Percentages are numbers between 0 "
                    "and 100 (write 12.5, not 0.125)."
                )
            ],
            [_("5. The parts of a total (each age group, each gender…) must add up to it.")],
            [
                _(
                    "6. Save the file as an Excel workbook (.xlsx) or as “CSV UTF-8”, then "
                    "upload it on your organisation's Upload data page with the period it "
                    "covers. Every problem is listed with its row and column; nothing is "
                    "saved until the whole file is correct."
                )
            ],
            [],
            [_("Indicators"), _("Code"), _("Unit"), _("Definition")],
        ]
        for item in dataset.items.select_related("indicator"):
            indicator: Indicator = item.indicator
            if indicator.is_computed:
                continue
            lines.append(
                [
                    neutralise(_translated(indicator, "name", language)),
                    indicator.code,
                    str(indicator.get_unit_display()),
                    neutralise(_translated(indicator, "definition", language)),
                ]
            )
    return lines


def _write_xlsx(
    dataset: Dataset,
    headers: list[str],
    rows: list[list[str]],
    *,
    language: str,
    out: BinaryIO,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with translation.override(language):
        sheet.title = _("Data")
        instructions = book.create_sheet(_("Instructions"))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1D3F72")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, header in enumerate(headers, start=1):
        longest = max([len(header), *(len(row[index - 1]) for row in rows)], default=10)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 12), 60)
    sheet.freeze_panes = "A2"
    for line in _instructions(dataset, language=language):
        instructions.append(line)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 100
    for column in ("B", "C", "D"):
        instructions.column_dimensions[column].width = 30
    book.save(out)
