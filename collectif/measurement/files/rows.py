"""Turning a file's table into cells, saying what is wrong on which row and column.

Headers may be in French or English; indicators are named by code or by name, and
dimension members by code or name, in either language. A blank value cell is "not
reported". The cells then go through the checks every channel shares
(`domain.validation`), like those typed in the web form or sent to the API.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collectif.core.files import RowProgress, Table, normalise_header, parse_number
from collectif.core.formatting import format_number
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.validation import CellValue, Problem, range_problem
from collectif.measurement.files.batches import BATCH_ROWS, BatchChecker
from collectif.measurement.files.catalogue import Catalogue
from collectif.measurement.files.columns import column_role
from collectif.measurement.models import Dataset, Dimension, DimensionMember, Indicator

# How many unknown columns a warning names before saying "and N more".
SHOWN_COLUMNS = 5


@dataclass
class _Columns:
    code: int | None = None
    name: int | None = None
    value: int | None = None
    dimensions: list[tuple[int, Dimension]] = field(default_factory=list)
    # Columns the template does not know (nor a breakdown): reported if they hold anything.
    unknown: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_name(headers: list[str], index: int) -> str:
    """A column as a person finds it in a spreadsheet: its letter and its header."""
    header = headers[index] if index < len(headers) else ""
    if not header:
        return _column_letter(index)
    return _("%(letter)s (“%(header)s”)") % {
        "letter": _column_letter(index),
        "header": header[:60],
    }


def _duplicate(headers: list[str], first: int, *, second: int, what: str) -> Problem:
    return Problem(
        message=_(
            "Columns %(first)s and %(second)s both give %(what)s, so the file does not say "
            "which one to read. Keep one of the two columns and delete the other."
        )
        % {
            "first": _column_name(headers, first),
            "second": _column_name(headers, second),
            "what": what,
        },
        row=1,
        column=headers[second] or _column_letter(second),
        code="duplicate_column",
    )


_ROLE_WHAT = {
    "indicator_code": lambda: _("the indicator code"),
    "indicator_name": lambda: _("the indicator name"),
    "value": lambda: _("the value"),
}


def _map_columns(headers: list[str], catalogue: Catalogue) -> _Columns:
    """Each header's role; two columns with one role are an error, never a silent pick."""
    columns = _Columns()
    roles: dict[str, int] = {}
    dimension_columns: dict[int, int] = {}
    for index, header in enumerate(headers):
        role = column_role(header)
        if role in _ROLE_WHAT:
            if role in roles:
                columns.problems.append(
                    _duplicate(headers, roles[role], second=index, what=_ROLE_WHAT[role]())
                )
            else:
                roles[role] = index
        elif role is None:
            dimension = catalogue.dimensions.get(normalise_header(header))
            if dimension is None:
                columns.unknown.append(index)
            elif dimension.pk in dimension_columns:
                what = _("the breakdown “%(dimension)s”") % {"dimension": dimension.name}
                columns.problems.append(
                    _duplicate(headers, dimension_columns[dimension.pk], second=index, what=what)
                )
            else:
                dimension_columns[dimension.pk] = index
                columns.dimensions.append((index, dimension))
    columns.code = roles.get("indicator_code")
    columns.name = roles.get("indicator_name")
    columns.value = roles.get("value")
    return columns


class _RowReader:
    """Reads one table row after another, collecting cells and problems."""

    def __init__(self, table: Table, catalogue: Catalogue, columns: _Columns) -> None:
        self.table = table
        self.catalogue = catalogue
        self.columns = columns
        self.cells: list[CellValue] = []
        self.problems: list[Problem] = []
        # Per indicator code, per breakdown: the row that gave the cell first. Nested
        # dictionaries sharing the breakdown strings, rather than a tuple key per cell,
        # keep a large file's bookkeeping small.
        self.first_row: dict[str, dict[str, int]] = {}
        self.member_keys: dict[int, str] = {}
        self.rows = 0
        # Unknown columns not yet seen holding anything, and those seen doing so.
        self.unknown_pending = set(columns.unknown)
        self.unknown_filled: set[int] = set()

    def header(self, index: int | None) -> str | None:
        if index is None:
            return None
        text = self.table.headers[index] if index < len(self.table.headers) else ""
        return text or _column_letter(index)

    def problem(self, row: int, index: int | None, *, code: str, message: str) -> None:
        self.problems.append(
            Problem(message=message, row=row, column=self.header(index), code=code)
        )

    def read(self, number: int, cells: list[str]) -> None:
        self.rows += 1
        if self.unknown_pending or len(cells) > len(self.table.headers):
            self.note_unknown(cells)
        self.check(number, cells)

    def check(self, number: int, cells: list[str]) -> None:
        """One row's cell, or every problem of the row, in the order a person reads them."""

        def at(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        raw_value = at(self.columns.value)
        if not raw_value:
            return
        indicator = self._indicator(number, at(self.columns.code), at(self.columns.name))
        members = self._members(number, cells, indicator)
        try:
            value = parse_number(raw_value, decimal_comma=self.table.decimal_comma)
        except ValueError:
            self.problem(
                number,
                self.columns.value,
                code="not_a_number",
                message=_(
                    "“%(text)s” is not a number. Write digits only, such as 1234 or 12,5 "
                    "(no words or units), or leave the cell empty if you do not report it."
                )
                % {"text": raw_value[:40]},
            )
            return
        if indicator is None or members is None:
            return
        problem = range_problem(indicator, value)
        if problem is not None:
            code, message = problem
            self.problem(number, self.columns.value, code=code, message=message)
            return
        breakdown = self.breakdown(members)
        first_rows = self.first_row.setdefault(indicator.code, {})
        if breakdown in first_rows:
            self.problem(
                number,
                self.columns.code if self.columns.code is not None else self.columns.name,
                code="duplicate",
                message=_(
                    "Rows %(first)s and %(second)s both give %(cell)s. Keep one of the two "
                    "rows and delete the other."
                )
                % {
                    "first": first_rows[breakdown],
                    "second": number,
                    "cell": _describe(indicator, members),
                },
            )
            return
        first_rows[breakdown] = number
        self.cells.append(CellValue(indicator.code, breakdown, value, row=number, checked=True))

    def note_unknown(self, cells: list[str]) -> None:
        filled = {i for i in self.unknown_pending if i < len(cells) and cells[i].strip()}
        filled.update(i for i in range(len(self.table.headers), len(cells)) if cells[i].strip())
        self.unknown_pending -= filled
        self.unknown_filled |= filled

    def unknown_columns(self) -> Problem | None:
        """A warning naming the non-empty columns the template does not know, if any."""
        if not self.unknown_filled:
            return None
        indices = sorted(self.unknown_filled)
        named = ", ".join(_column_name(self.table.headers, i) for i in indices[:SHOWN_COLUMNS])
        more = len(indices) - SHOWN_COLUMNS
        if more > 0:
            named = ngettext(
                "%(columns)s and %(count)s more column",
                "%(columns)s and %(count)s more columns",
                more,
            ) % {"columns": named, "count": format_number(more)}
        return Problem(
            message=ngettext(
                "The column %(columns)s is not part of the template: it was not read. If it "
                "holds values to report, move them to the template's columns.",
                "The columns %(columns)s are not part of the template: they were not read. "
                "If they hold values to report, move them to the template's columns.",
                len(indices),
            )
            % {"columns": named},
            severity="warning",
            code="unknown_column",
        )

    def breakdown(self, members: list[DimensionMember]) -> str:
        """The key of a row's members; a lone member's key is built once per file."""
        if len(members) != 1:
            return make_key({m.dimension.code: m.code for m in members})
        member = members[0]
        key = self.member_keys.get(member.pk)
        if key is None:
            key = self.member_keys[member.pk] = make_key({member.dimension.code: member.code})
        return key

    def _indicator(self, number: int, code: str, name: str) -> Indicator | None:
        catalogue = self.catalogue
        codes = catalogue.codes
        if code:
            indicator = catalogue.dataset_indicators.get(code.strip().casefold())
            if indicator is None:
                if code.strip().casefold() in catalogue.other_codes:
                    message = _(
                        "The indicator “%(code)s” is not part of this dataset. Delete the "
                        "row, or use one of this dataset's codes: %(codes)s."
                    )
                    self.problem(
                        number,
                        self.columns.code,
                        code="not_in_dataset",
                        message=message % {"code": code[:40], "codes": codes},
                    )
                else:
                    message = _(
                        "There is no indicator with the code “%(code)s”. Copy the code from "
                        "the template; this dataset's codes are: %(codes)s."
                    )
                    self.problem(
                        number,
                        self.columns.code,
                        code="unknown_indicator",
                        message=message % {"code": code[:40], "codes": codes},
                    )
                return None
        elif name:
            indicator = catalogue.by_name.get(normalise_header(name))
            if indicator is None:
                self.problem(
                    number,
                    self.columns.name,
                    code="unknown_indicator",
                    message=_(
                        "No indicator of this dataset is named “%(name)s”. Write its code "
                        "instead; this dataset's codes are: %(codes)s."
                    )
                    % {"name": name[:80], "codes": codes},
                )
                return None
        else:
            self.problem(
                number,
                self.columns.code if self.columns.code is not None else self.columns.name,
                code="no_indicator",
                message=_("This row has a value but no indicator. Write the indicator's code."),
            )
            return None
        if indicator.is_computed:
            self.problem(
                number,
                self.columns.code if self.columns.code is not None else self.columns.name,
                code="computed",
                message=_(
                    "%(indicator)s is computed from other indicators: it is never reported. "
                    "Delete this row."
                )
                % {"indicator": indicator.name},
            )
            return None
        return indicator

    def _members(
        self, number: int, cells: list[str], indicator: Indicator | None
    ) -> list[DimensionMember] | None:
        members: list[DimensionMember] = []
        ok = True
        for index, dimension in self.columns.dimensions:
            text = cells[index] if index < len(cells) else ""
            if not text:
                continue
            member = self.catalogue.members.get(dimension.pk, {}).get(normalise_header(text))
            if member is None:
                ok = False
                names = ", ".join(m.name for m in dimension.members.all())
                self.problem(
                    number,
                    index,
                    code="unknown_member",
                    message=_(
                        "“%(text)s” is not a choice for “%(dimension)s”. Write one of: %(names)s."
                    )
                    % {"text": text[:60], "dimension": dimension.name, "names": names},
                )
                continue
            if (
                indicator is not None
                and dimension.pk not in self.catalogue.indicator_dimensions.get(indicator.pk, set())
            ):
                ok = False
                self.problem(
                    number,
                    index,
                    code="not_broken_down",
                    message=_(
                        "%(indicator)s is not broken down by %(dimension)s. Leave this cell "
                        "empty on this row."
                    )
                    % {"indicator": indicator.name, "dimension": dimension.name.lower()},
                )
                continue
            members.append(member)
        if len(members) > 1:
            self.problem(
                number,
                self.columns.dimensions[0][0],
                code="several_members",
                message=_(
                    "This row fills more than one breakdown column. Give each breakdown "
                    "(one age group, one gender…) its own row, as in the template."
                ),
            )
            return None
        return members if ok else None


def _describe(indicator: Indicator, members: Iterable[DimensionMember]) -> str:
    names = [member.name for member in members]
    if not names:
        return _("the total of %(indicator)s") % {"indicator": indicator.name}
    return _("%(indicator)s (%(members)s)") % {
        "indicator": indicator.name,
        "members": ", ".join(names),
    }


def rows_to_cells(
    table: Table, dataset: Dataset, *, progress: RowProgress | None = None
) -> tuple[list[CellValue], list[Problem]]:
    """Every cell the table reports, and every problem found on the way (all rows read).

    A blank value cell is "not reported" and skipped. Rows are checked a batch at a
    time (`batches.BatchChecker`); `progress` hears (rows done, rows expected) after each
    batch. May raise `FileProblem` if the file turns out to be unreadable part way
    through (a stray byte in a CSV).
    """

    catalogue = Catalogue.load(dataset)
    columns = _map_columns(table.headers, catalogue)
    missing: list[Problem] = []
    if columns.value is None:
        missing.append(
            Problem(
                message=_(
                    "The column “%(column)s” is missing from the first row. Add it, or start "
                    "again from the template."
                )
                % {"column": _("Value")},
                row=1,
                column=_("Value"),
                code="missing_column",
            )
        )
    if columns.code is None and columns.name is None:
        missing.append(
            Problem(
                message=_(
                    "The column “%(column)s” is missing from the first row. Add it, or start "
                    "again from the template."
                )
                % {"column": _("Indicator code")},
                row=1,
                column=_("Indicator code"),
                code="missing_column",
            )
        )
    if missing or columns.problems:
        return [], [*columns.problems, *missing]
    reader = _RowReader(table, catalogue, columns)
    checker = BatchChecker(reader)
    for batch in table.batches(BATCH_ROWS):
        checker.check(batch)
        if progress is not None:
            progress(reader.rows, max(reader.rows, table.estimated_rows))
    problems = reader.problems
    if not reader.cells and not any(p.severity == "error" for p in problems):
        header = reader.header(columns.value) or _("Value")
        problems.append(_no_values(header, reader.rows))
    unknown = reader.unknown_columns()
    if unknown is not None:
        problems.append(unknown)
    return reader.cells, problems


def _no_values(header: str, rows: int) -> Problem:
    """Why a file that gives nothing at all is refused rather than saved as empty."""
    return Problem(
        message=ngettext(
            "The file has %(rows)s row but the column “%(column)s” is empty on it: there "
            "is no value to import, so nothing was imported. Write the values in this "
            "column, and check that every row uses the same separator as the header row.",
            "The file has %(rows)s rows but the column “%(column)s” is empty on every one "
            "of them: there is no value to import, so nothing was imported. Write the "
            "values in this column, and check that every row uses the same separator as "
            "the header row.",
            rows,
        )
        % {"rows": format_number(rows), "column": header},
        column=header,
        code="no_values",
    )
