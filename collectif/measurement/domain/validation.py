"""Turning rows into cells, and checking cells, the same way for every channel.

`rows_to_cells` reads a file's table (headers in French or English, names or codes in
either language) and says what is wrong on which row and column. `validate_cells` checks
what a dataset demands of any set of cells, from a file, the web form or the API: ranges
by unit, required totals, parts against totals, and the rules between indicators.
Messages are written in the active language and always say what to do.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from collectif.core.files.reader import Table, column_role, normalise_header, parse_number
from collectif.core.formatting import format_number
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.cells import expected_keys
from collectif.measurement.models import (
    Dataset,
    Dimension,
    DimensionMember,
    Indicator,
    ValidationRule,
)

# Parts and their total may differ by rounding in the partner's own spreadsheet.
TOLERANCE = Decimal("0.5")
# What Value.value can hold (max_digits=20, decimal_places=6).
MAX_DECIMALS = 6
MAX_MAGNITUDE = Decimal(10) ** 14


@dataclass(frozen=True, slots=True)
class CellValue:
    """One reported number; `row` is the file row it came from, when it came from a file."""

    indicator_code: str
    breakdown: str
    value: Decimal
    row: int | None = field(default=None, compare=False)


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"
    code: str = ""


def cell_column(indicator_code: str, breakdown: str) -> str:
    """How a problem names a cell, so a form can show the message beside it."""
    return f"{indicator_code}/{breakdown}"


def _number(value: Decimal) -> str:
    """The value as typed, in the active language, without rounding its decimals away."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), MAX_DECIMALS) if isinstance(exponent, int) else 0
    return format_number(value, decimals=decimals)


# --- Ranges -----------------------------------------------------------------------------


def _range_code(indicator: Indicator, value: Decimal) -> str | None:
    """Which range a value breaks, if any (checked for every cell, so kept cheap)."""
    if abs(value) >= MAX_MAGNITUDE:
        return "too_large"
    whole = value == value.to_integral()
    if not whole:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
            return "too_precise"
    if value < 0:
        return "negative"
    if not whole and indicator.unit == Indicator.Unit.COUNT:
        return "not_whole"
    if indicator.unit == Indicator.Unit.PERCENT and value > 100:
        return "percent_range"
    return None


def range_problem(indicator: Indicator, value: Decimal) -> tuple[str, str] | None:
    """(code, message) when a value cannot be right for its indicator's unit."""
    code = _range_code(indicator, value)
    if code is None:
        return None
    params = {"indicator": indicator.name, "value": _number(value), "decimals": MAX_DECIMALS}
    if code == "too_large":
        message = _("%(indicator)s: %(value)s is too large to be right.")
    elif code == "too_precise":
        message = _("%(indicator)s: %(value)s has more than %(decimals)s decimals. Round it.")
    elif code == "negative" and indicator.unit == Indicator.Unit.COUNT:
        message = _(
            "%(indicator)s: %(value)s is negative, but a count cannot be. "
            "Write 0 or more, or leave the cell empty if you do not know."
        )
    elif code == "negative":
        message = _(
            "%(indicator)s: %(value)s is negative. Write 0 or more, or leave the cell "
            "empty if you do not know."
        )
    elif code == "not_whole":
        message = _(
            "%(indicator)s: %(value)s is not a whole number, but this is a count of people "
            "or things. Write a whole number (no decimals)."
        )
    else:
        message = _(
            "%(indicator)s: %(value)s is not a percentage between 0 and 100. "
            "Write 12.5 for 12.5 %%, not 0.125 or 1250."
        )
    return code, message % params


# --- Rows to cells ----------------------------------------------------------------------


def _labels(obj: Any, code: str) -> tuple[str, str, str]:
    """How a file may name something: its code, or its name in either language."""
    return code, getattr(obj, "name_en", "") or "", getattr(obj, "name_fr", "") or ""


@dataclass
class _Catalogue:
    """What a file may name: the dataset's indicators, and every dimension and member."""

    dataset_indicators: dict[str, Indicator]
    by_name: dict[str, Indicator]
    other_codes: set[str]
    dimensions: dict[str, Dimension]
    members: dict[int, dict[str, DimensionMember]]
    indicator_dimensions: dict[int, set[int]]

    @cached_property
    def codes(self) -> str:
        """The dataset's codes, as a message lists them."""
        return ", ".join(sorted(self.dataset_indicators))

    @classmethod
    def load(cls, dataset: Dataset) -> "_Catalogue":
        items = dataset.items.select_related("indicator").prefetch_related("indicator__dimensions")
        dataset_indicators = {item.indicator.code: item.indicator for item in items}
        by_name: dict[str, Indicator] = {}
        for indicator in dataset_indicators.values():
            for name in _labels(indicator, indicator.code):
                if name:
                    by_name.setdefault(normalise_header(name), indicator)
        other_codes = set(
            Indicator.objects.exclude(code__in=dataset_indicators).values_list("code", flat=True)
        )
        dimensions: dict[str, Dimension] = {}
        members: dict[int, dict[str, DimensionMember]] = defaultdict(dict)
        for dimension in Dimension.objects.prefetch_related("members"):
            for label in _labels(dimension, dimension.code):
                if label:
                    dimensions.setdefault(normalise_header(label), dimension)
            for member in dimension.members.all():
                for label in _labels(member, member.code):
                    if label:
                        members[dimension.pk].setdefault(normalise_header(label), member)
        return cls(
            dataset_indicators=dataset_indicators,
            by_name=by_name,
            other_codes=other_codes,
            dimensions=dimensions,
            members=dict(members),
            indicator_dimensions={
                indicator.pk: {d.pk for d in indicator.dimensions.all()}
                for indicator in dataset_indicators.values()
            },
        )


@dataclass
class _Columns:
    code: int | None = None
    name: int | None = None
    value: int | None = None
    dimensions: list[tuple[int, Dimension]] = field(default_factory=list)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _map_columns(headers: list[str], catalogue: _Catalogue) -> _Columns:
    columns = _Columns()
    seen_dimensions: set[int] = set()
    for index, header in enumerate(headers):
        role = column_role(header)
        if role == "indicator_code" and columns.code is None:
            columns.code = index
        elif role == "indicator_name" and columns.name is None:
            columns.name = index
        elif role == "value" and columns.value is None:
            columns.value = index
        elif role is None:
            dimension = catalogue.dimensions.get(normalise_header(header))
            if dimension is not None and dimension.pk not in seen_dimensions:
                seen_dimensions.add(dimension.pk)
                columns.dimensions.append((index, dimension))
    return columns


class _RowReader:
    """Reads one table row after another, collecting cells and problems."""

    def __init__(self, table: Table, catalogue: _Catalogue, columns: _Columns) -> None:
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

    def header(self, index: int | None) -> str | None:
        if index is None:
            return None
        text = self.table.headers[index] if index < len(self.table.headers) else ""
        return text or _column_letter(index)

    def problem(self, row: int, index: int | None, code: str, message: str) -> None:
        self.problems.append(
            Problem(message=message, row=row, column=self.header(index), code=code)
        )

    def read(self, number: int, cells: list[str]) -> None:
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
                "not_a_number",
                _(
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
            self.problem(number, self.columns.value, *problem)
            return
        breakdown = self._breakdown(members)
        first_rows = self.first_row.setdefault(indicator.code, {})
        if breakdown in first_rows:
            self.problem(
                number,
                self.columns.code if self.columns.code is not None else self.columns.name,
                "duplicate",
                _(
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
        self.cells.append(CellValue(indicator.code, breakdown, value, row=number))

    def _breakdown(self, members: list[DimensionMember]) -> str:
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
                        "not_in_dataset",
                        message % {"code": code[:40], "codes": codes},
                    )
                else:
                    message = _(
                        "There is no indicator with the code “%(code)s”. Copy the code from "
                        "the template; this dataset's codes are: %(codes)s."
                    )
                    self.problem(
                        number,
                        self.columns.code,
                        "unknown_indicator",
                        message % {"code": code[:40], "codes": codes},
                    )
                return None
        elif name:
            indicator = catalogue.by_name.get(normalise_header(name))
            if indicator is None:
                self.problem(
                    number,
                    self.columns.name,
                    "unknown_indicator",
                    _(
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
                "no_indicator",
                _("This row has a value but no indicator. Write the indicator's code."),
            )
            return None
        if indicator.is_computed:
            self.problem(
                number,
                self.columns.code if self.columns.code is not None else self.columns.name,
                "computed",
                _(
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
                    "unknown_member",
                    _("“%(text)s” is not a choice for “%(dimension)s”. Write one of: %(names)s.")
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
                    "not_broken_down",
                    _(
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
                "several_members",
                _(
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


def rows_to_cells(table: Table, dataset: Dataset) -> tuple[list[CellValue], list[Problem]]:
    """Every cell the table reports, and every problem found on the way (all rows read).

    A blank value cell is "not reported" and skipped. May raise parsing.FileProblem if
    the file turns out to be unreadable part way through (a stray byte in a CSV).
    """
    catalogue = _Catalogue.load(dataset)
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
    if missing:
        return [], missing
    reader = _RowReader(table, catalogue, columns)
    for number, cells in table.rows:
        reader.read(number, cells)
    return reader.cells, reader.problems


# --- Checking cells ---------------------------------------------------------------------


def _dataset_indicators(dataset: Dataset) -> dict[str, Indicator]:
    items = dataset.items.select_related("indicator").prefetch_related(
        "indicator__dimensions__members"
    )
    return {item.indicator.code: item.indicator for item in items}


def _compare(left: Decimal, operator: str, right: Decimal) -> bool:
    if operator == ValidationRule.Operator.LTE:
        return left <= right
    if operator == ValidationRule.Operator.LT:
        return left < right
    if operator == ValidationRule.Operator.GTE:
        return left >= right
    if operator == ValidationRule.Operator.GT:
        return left > right
    return left == right


def _member_keys(dimension: Dimension, cache: dict[int, list[str]]) -> list[str]:
    """The breakdown keys of a dimension's members, built once per check."""
    keys = cache.get(dimension.pk)
    if keys is None:
        keys = cache[dimension.pk] = [
            make_key({dimension.code: m.code}) for m in dimension.members.all()
        ]
    return keys


def _consistency(
    indicator: Indicator, values: dict[str, CellValue], keys: dict[int, list[str]]
) -> list[Problem]:
    """Parts against the total, for each dimension whose members add up to it."""
    problems: list[Problem] = []
    total = values.get("")
    if total is None or indicator.aggregation != Indicator.Aggregation.SUM:
        return problems
    for dimension in indicator.dimensions.all():
        if not dimension.adds_up:
            continue
        parts = [values[key] for key in _member_keys(dimension, keys) if key in values]
        if not parts:
            continue
        every = len(parts) == len(dimension.members.all())
        added = sum((part.value for part in parts), Decimal(0))
        if every and abs(added - total.value) > TOLERANCE:
            message = _(
                "%(indicator)s: the parts by %(dimension)s add up to %(parts)s, but the "
                "total is %(total)s. Correct the parts or the total so they agree."
            )
        elif not every and added > total.value + TOLERANCE:
            message = _(
                "%(indicator)s: the parts by %(dimension)s already add up to %(parts)s, "
                "more than the total of %(total)s. Correct the parts or the total."
            )
        else:
            continue
        problems.append(
            Problem(
                message=message
                % {
                    "indicator": indicator.name,
                    "dimension": dimension.name.lower(),
                    "parts": _number(added),
                    "total": _number(total.value),
                },
                row=total.row,
                column=cell_column(indicator.code, ""),
                severity=(
                    "warning" if indicator.consistency == Indicator.Consistency.WARNING else "error"
                ),
                code="parts_total",
            )
        )
    return problems


def _rule_problems(
    rules: Iterable[ValidationRule], by_indicator: dict[str, dict[str, CellValue]]
) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        left_values = by_indicator.get(rule.left.code, {})
        right_values = by_indicator.get(rule.right.code, {})
        for breakdown, left in left_values.items():
            right = right_values.get(breakdown)
            if right is None or _compare(left.value, rule.operator, right.value):
                continue
            problems.append(
                Problem(
                    message=_("%(rule)s (%(left)s: %(left_value)s; %(right)s: %(right_value)s)")
                    % {
                        "rule": rule.message,
                        "left": rule.left.name,
                        "left_value": _number(left.value),
                        "right": rule.right.name,
                        "right_value": _number(right.value),
                    },
                    row=left.row,
                    column=cell_column(rule.left.code, breakdown),
                    severity=rule.severity,
                    code=f"rule:{rule.code}",
                )
            )
    return problems


def validate_cells(
    cells: list[CellValue],
    dataset: Dataset,
    *,
    require_complete: bool,
    expected: dict[str, dict[str, bool]] | None = None,
) -> list[Problem]:
    """Every problem with these cells for this dataset, errors and warnings.

    Ranges by unit always; required totals only when `require_complete` (a draft may be
    saved half done); parts against totals as each indicator's consistency says; the
    active rules whose two indicators both have a value on the same breakdown.
    `expected` is `cells.expected_keys(dataset)`, when the caller already has it.
    """
    indicators = _dataset_indicators(dataset)
    problems: list[Problem] = []
    by_indicator: dict[str, dict[str, CellValue]] = defaultdict(dict)
    for cell in cells:
        indicator = indicators.get(cell.indicator_code)
        if indicator is None:
            continue
        by_indicator[cell.indicator_code][cell.breakdown] = cell
        found = range_problem(indicator, cell.value)
        if found is not None:
            code, message = found
            problems.append(
                Problem(
                    message=message,
                    row=cell.row,
                    column=cell_column(cell.indicator_code, cell.breakdown),
                    code=code,
                )
            )
    if require_complete:
        for code, breakdowns in (expected or expected_keys(dataset)).items():
            given = by_indicator.get(code, {})
            for breakdown, required in breakdowns.items():
                if required and breakdown not in given:
                    problems.append(
                        Problem(
                            message=_(
                                "%(indicator)s: the total is required. Write it before you "
                                "submit (0 if there were none)."
                            )
                            % {"indicator": indicators[code].name},
                            column=cell_column(code, breakdown),
                            code="required",
                        )
                    )
    member_keys: dict[int, list[str]] = {}
    for code, values in by_indicator.items():
        problems.extend(_consistency(indicators[code], values, member_keys))
    rules = ValidationRule.objects.filter(
        is_active=True, left__code__in=by_indicator, right__code__in=by_indicator
    ).select_related("left", "right")
    problems.extend(_rule_problems(rules, by_indicator))
    return problems


def describe_problem(problem: Problem) -> str:
    """A problem as one line: where it is, then what to do."""
    where: list[str] = []
    if problem.row is not None:
        where.append(_("row %(row)s") % {"row": problem.row})
    if problem.column and "/" not in problem.column:
        where.append(_("column “%(column)s”") % {"column": problem.column})
    severity = _("Warning") if problem.severity == "warning" else _("Error")
    if where:
        return _("%(severity)s (%(where)s): %(message)s") % {
            "severity": severity,
            "where": ", ".join(where),
            "message": problem.message,
        }
    return _("%(severity)s: %(message)s") % {"severity": severity, "message": problem.message}
