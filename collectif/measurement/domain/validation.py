"""Checking cells the same way for every channel: the file, the web form, the API.

`validate_cells` checks what a dataset demands of any set of cells: ranges by unit,
required totals, parts against totals, and the rules between indicators. Messages are
written in the active language and always say what to do. Reading a file's rows into
cells is `files/rows.py`'s part.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.utils.translation import gettext as _

from collectif.core.formatting import format_number
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.cells import expected_keys
from collectif.measurement.models import Dataset, Dimension, Indicator, ValidationRule

# Parts and their total may differ by rounding in the partner's own spreadsheet.
TOLERANCE = Decimal("0.5")
# What Value.value can hold (max_digits=20, decimal_places=6).
MAX_DECIMALS = 6
MAX_MAGNITUDE = Decimal(10) ** 14
# The largest value that can be right for each unit; counts and dollars are bounded by
# what Value.value stores (a percentage's own range is checked as "percent_range").
LARGEST: dict[str, Decimal] = {Indicator.Unit.PERCENT: Decimal(100)}
# Numbers from this size on are shown as "1.23 × 10^29": a person cannot read 30 digits,
# and the number formatter cannot hold more than 28.
SCIENTIFIC_FROM = Decimal(10) ** 15
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True, slots=True)
class CellValue:
    """One reported number; `row` is the file row it came from, when it came from a file.

    `checked` says its range was already checked for its indicator (a file's rows are,
    as they are read), so `validate_cells` does not check each cell a second time.
    """

    indicator_code: str
    breakdown: str
    value: Decimal
    row: int | None = field(default=None, compare=False)
    checked: bool = field(default=False, compare=False)


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


def number_text(value: Decimal) -> str:
    """The value as typed, in the active language, without rounding its decimals away.

    Any Decimal is shown, never raised on: "NaN" and "∞" as such, huge or tiny numbers
    as a power of ten (a 30-digit number or 1e308 from a workbook or the API).
    """
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "−∞" if value < 0 else "∞"
    if value and (abs(value) >= SCIENTIFIC_FROM or abs(value) < Decimal(10) ** -MAX_DECIMALS):
        power = value.adjusted()
        with localcontext(prec=6):
            mantissa = value.scaleb(-power).normalize()
        exponent = mantissa.as_tuple().exponent
        decimals = min(max(-exponent, 0), 4) if isinstance(exponent, int) else 0
        power_text = str(power).translate(_SUPERSCRIPTS)
        return f"{format_number(mantissa, decimals=decimals)} × 10{power_text}"
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), MAX_DECIMALS) if isinstance(exponent, int) else 0
    with localcontext(prec=60):
        return format_number(value, decimals=decimals)


def largest(indicator: Indicator) -> Decimal:
    """The largest value that can be right for the indicator's unit."""
    return LARGEST.get(indicator.unit, MAX_MAGNITUDE - 1)


# --- Ranges -----------------------------------------------------------------------------


def _range_code(indicator: Indicator, value: Decimal) -> str | None:
    """Which range a value breaks, if any (checked for every cell, so kept cheap)."""
    if not value.is_finite():
        return "not_finite"
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
    params = {
        "indicator": indicator.name,
        "value": number_text(value),
        "decimals": MAX_DECIMALS,
        "largest": number_text(largest(indicator)),
    }
    if code == "not_finite":
        message = _(
            "%(indicator)s: “%(value)s” is not a number that can be stored. Write digits "
            "only, or leave the cell empty if you do not report it."
        )
    elif code == "too_large":
        message = _(
            "%(indicator)s: %(value)s is too large to be right: the largest value this "
            "indicator accepts is %(largest)s. Check for extra digits or a misplaced "
            "decimal mark."
        )
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


# An indicator's id → its dimensions, in their order.
DimensionsOf = dict[int, list[Dimension]]

# --- Checking cells ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checks:
    """What checking reads of the setup: the dataset's indicators (with dimensions and
    members prefetched) and the active rules. Read once, it checks many submissions (the
    review queue) without queries for each."""

    indicators: dict[str, Indicator]
    rules: list[ValidationRule]


def _dataset_indicators(dataset: Dataset) -> tuple[dict[str, Indicator], DimensionsOf]:
    """The dataset's indicators, and each one's dimensions (their members prefetched).

    Django's prefetch would build a copy of a dimension, and a queryset of its members,
    for every indicator broken down by it: seconds for a dataset of hundreds of
    indicators by one "site" dimension. Here each dimension is read once and shared.
    """
    indicators = {
        item.indicator.code: item.indicator for item in dataset.items.select_related("indicator")
    }
    links: dict[int, set[int]] = defaultdict(set)
    for indicator_id, dimension_id in Indicator.dimensions.through.objects.filter(
        indicator__in=[indicator.pk for indicator in indicators.values()]
    ).values_list("indicator_id", "dimension_id"):
        links[indicator_id].add(dimension_id)
    dimensions = list(
        Dimension.objects.filter(pk__in={pk for pks in links.values() for pk in pks})
        .prefetch_related("members")
        .order_by("position", "code")
    )
    return indicators, {
        indicator.pk: [d for d in dimensions if d.pk in links.get(indicator.pk, ())]
        for indicator in indicators.values()
    }


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
    indicator: Indicator,
    values: dict[str, CellValue],
    keys: dict[int, list[str]],
    *,
    dimensions: list[Dimension] | None,
) -> list[Problem]:
    """Parts against the total, for each dimension whose members add up to it."""
    problems: list[Problem] = []
    total = values.get("")
    if total is None or indicator.aggregation != Indicator.Aggregation.SUM:
        return problems
    for dimension in indicator.dimensions.all() if dimensions is None else dimensions:
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
                    "parts": number_text(added),
                    "total": number_text(total.value),
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
                        "left_value": number_text(left.value),
                        "right": rule.right.name,
                        "right_value": number_text(right.value),
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
    checks: Checks | None = None,
) -> list[Problem]:
    """Every problem with these cells for this dataset, errors and warnings.

    Ranges by unit always; required totals only when `require_complete` (a draft may be
    saved half done); parts against totals as each indicator's consistency says; the
    active rules whose two indicators both have a value on the same breakdown.
    `expected` is `cells.expected_keys(dataset)`, when the caller already has it, and
    `checks` the setup, when the caller read it for several submissions.
    """
    # Each indicator's dimensions, when read here rather than prefetched by `checks`.
    dimensions: DimensionsOf | None = None
    if checks is not None:
        indicators = checks.indicators
    else:
        indicators, dimensions = _dataset_indicators(dataset)
    problems: list[Problem] = []
    by_indicator: dict[str, dict[str, CellValue]] = defaultdict(dict)
    # The cells within range: only they are added up and compared (a NaN, an infinity
    # or a 30-digit number would make the arithmetic itself fail).
    sound: dict[str, dict[str, CellValue]] = defaultdict(dict)
    for cell in cells:
        indicator = indicators.get(cell.indicator_code)
        if indicator is None:
            continue
        by_indicator[cell.indicator_code][cell.breakdown] = cell
        found = None if cell.checked else range_problem(indicator, cell.value)
        if found is None:
            sound[cell.indicator_code][cell.breakdown] = cell
        else:
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
    for code, values in sound.items():
        indicator = indicators[code]
        own = None if dimensions is None else dimensions.get(indicator.pk, [])
        problems.extend(_consistency(indicator, values, member_keys, dimensions=own))
    rules = (
        checks.rules
        if checks is not None
        else ValidationRule.objects.filter(
            is_active=True, left__code__in=sound, right__code__in=sound
        ).select_related("left", "right")
    )
    problems.extend(_rule_problems(rules, sound))
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
