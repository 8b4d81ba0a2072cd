"""Disclosure control: which public figures are hidden, and why.

Partners are often small programs. A movement total made of one or two organisations'
numbers, or a count of three young people, can point at a program or at a person, so
figures shown to the public (the report card, members' scorecard, the open API) hide
such cells. A cell is hidden when fewer than SUPPRESS_ORGANISATIONS_BELOW organisations
contributed to it, or when a count indicator's value is under SUPPRESS_COUNT_BELOW; a
computed cell is hidden when either of its inputs would be, since the ratio and one
input would give away the other. Every hidden cell carries its reason, so readers
learn that a value exists and why they do not see it.

Hiding a cell alone is not enough: Canada minus the provinces shown, or a province's
total minus the age groups shown, would give it back. `protect` then hides
complementary cells (secondary suppression) until no hidden cell can be derived from
the cells shown along an additive relation, alone or by combining relations (decision
0022 tells the method and its limits).

Backbone staff see every figure: the rules protect partners from the public, not from
the team they report to. Every channel asks here, so the web pages, the CSV and the
API hide exactly the same cells.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from math import gcd

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from collectif.measurement.domain.breakdowns import parse_key
from collectif.measurement.models import CANADA, Indicator

Reason = str | Promise
Key = tuple[str, str]  # a cell of one slice (indicator × period): region, member key

SECONDARY_REASON = _("suppressed: would reveal a smaller hidden figure")


def suppress_count_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_COUNT_BELOW", 5))


def suppress_organisations_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_ORGANISATIONS_BELOW", 3))


def suppression_reason(indicator: Indicator, value: Decimal | None, organisations: int) -> Reason:
    """Why a public cell is hidden on its own (primary suppression), or "" when it may be shown."""
    return primary_rule(indicator)(value, organisations)


def primary_rule(indicator: Indicator) -> Callable[[Decimal | None, int], Reason]:
    """`suppression_reason` for one indicator, its thresholds and texts read once: a
    public page may judge thousands of cells."""
    organisations_below = suppress_organisations_below()
    count_below = suppress_count_below()
    counts = indicator.unit == Indicator.Unit.COUNT
    language = get_language()

    def reason(value: Decimal | None, organisations: int) -> Reason:
        if value is None:
            return ""
        if organisations < organisations_below:
            return _reason("organisations", organisations_below, language)
        if counts and value < count_below:
            return _reason("count", count_below, language)
        return ""

    return reason


@lru_cache(maxsize=64)
def _reason(kind: str, threshold: int, language: str | None) -> str:
    """A reason in the active language, formatted once: a page may hide thousands of cells."""
    del language  # part of the cache key only: the text is translated when formatted
    if kind == "organisations":
        return _("suppressed: fewer than %(n)s organisations") % {"n": threshold}
    return _("suppressed: count under %(n)s") % {"n": threshold}


@dataclass(frozen=True)
class CellFacts:
    """What disclosure control knows of one non-empty cell of a slice.

    `mass` is the quantity that adds up across cells: a sum's total, a mean's total
    (its count of organisations is published beside it), a weighted mean's weighted
    total; None for a latest value, which adds up with nothing.
    """

    mass: Decimal | None
    organisations: int
    reason: Reason  # the primary reason, "" when the cell may be shown on its own


@dataclass(frozen=True)
class Relation:
    """A total and the parts it is the exact sum of, in one slice."""

    total: Key
    parts: tuple[Key, ...]


def _holds(relation: Relation, cells: Mapping[Key, CellFacts]) -> bool:
    """Whether the parts add up exactly to the total, by value or by organisations.

    A relation that does not hold (some partners do not break their total down, or
    groups overlap) only bounds a hidden cell from above: it is left out (decision 0022).
    """
    total, parts = cells[relation.total], [cells[key] for key in relation.parts]
    masses = [part.mass for part in parts]
    known = [m for m in masses if m is not None]
    if total.mass is not None and len(known) == len(masses) and sum(known) == total.mass:
        return True
    return sum(part.organisations for part in parts) == total.organisations


def additive_relations(cells: Mapping[Key, CellFacts]) -> list[Relation]:
    """The relations a reader can subtract along: for each member, Canada and the
    provinces; in each region, the total and the members of each dimension."""
    regions = sorted({region for region, _member in cells if region != CANADA})
    members = sorted({member for _region, member in cells})
    by_dimension: dict[str, list[str]] = defaultdict(list)
    for member in members:
        dimensions = parse_key(member)
        if len(dimensions) == 1:
            by_dimension[next(iter(dimensions))].append(member)
    candidates = [
        Relation((CANADA, member), tuple((r, member) for r in regions if (r, member) in cells))
        for member in members
    ]
    candidates += [
        Relation((region, ""), tuple((region, m) for m in codes if (region, m) in cells))
        for region in (CANADA, *regions)
        for _dimension, codes in sorted(by_dimension.items())
    ]
    return [
        relation
        for relation in candidates
        if relation.total in cells and relation.parts and _holds(relation, cells)
    ]


# Whether a combination of hidden cells, published as a difference, would itself be hidden.
TooSmall = Callable[[Decimal, int], bool]


def _needs_complement(
    relation: Relation,
    *,
    cells: Mapping[Key, CellFacts],
    hidden: Mapping[Key, Reason],
    small: TooSmall,
) -> bool:
    """Whether the cells shown in this relation give away a hidden cell or a small sum.

    With the total shown, the hidden parts' sum is public: it must spread over at least
    two non-zero cells (else it is one of them) and not be small itself (two partners
    who know their own values would learn each other's). With the total hidden, at
    least one part must be hidden with it.
    """
    hidden_parts = [key for key in relation.parts if key in hidden]
    if relation.total in hidden:
        return not hidden_parts
    if not hidden_parts:
        return False
    masses = [cells[key].mass for key in hidden_parts]
    if sum(1 for mass in masses if mass != 0) < 2:
        return True
    mass = sum((m for m in masses if m is not None), Decimal(0))
    return small(mass, sum(cells[key].organisations for key in hidden_parts))


def _complement(
    relation: Relation, cells: Mapping[Key, CellFacts], hidden: Mapping[Key, Reason]
) -> Key | None:
    """The next cell to hide for this relation: the smallest non-zero part shown (ties
    broken by organisations, then by region and member), else the total, else a zero part."""
    shown = [key for key in relation.parts if key not in hidden]
    useful = [key for key in shown if cells[key].mass != 0]
    if useful:
        return min(useful, key=lambda k: (cells[k].mass or Decimal(0), cells[k].organisations, k))
    if relation.total not in hidden:
        return relation.total
    return min(shown, default=None)


def _sweep(
    relations: list[Relation],
    *,
    cells: Mapping[Key, CellFacts],
    hidden: dict[Key, Reason],
    small: TooSmall,
) -> None:
    """The next-smallest-complement heuristic, over every relation until nothing changes."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            while _needs_complement(relation, cells=cells, hidden=hidden, small=small):
                extra = _complement(relation, cells, hidden)
                if extra is None:
                    break
                hidden[extra] = SECONDARY_REASON
                changed = True


def _reduced_rows(relations: Iterable[Relation], unknowns: dict[Key, int]) -> list[dict[int, int]]:
    """The relations, restricted to the hidden cells, in reduced row echelon form.

    Integer Gauss-Jordan elimination on sparse rows (each row divided by the gcd of
    its entries), so it is exact and stays small.
    """
    rows: list[dict[int, int]] = []
    for relation in relations:
        row: dict[int, int] = {}
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in unknowns:
                row[unknowns[key]] = sign
        if row:
            rows.append(row)
    reduced: list[tuple[int, dict[int, int]]] = []  # (pivot column, row)
    for row in rows:
        for pivot, done in reduced:
            row = _eliminate(row, done, pivot)
        if not row:
            continue
        pivot = min(row)
        reduced = [(p, _eliminate(done, row, pivot)) for p, done in reduced]
        reduced.append((pivot, row))
    return [row for _pivot, row in reduced]


def _eliminate(row: dict[int, int], by: dict[int, int], pivot: int) -> dict[int, int]:
    """`row` with column `pivot` cleared using `by`, scaled down to coprime integers."""
    factor = row.get(pivot, 0)
    if not factor:
        return row
    scale = by[pivot]
    result = {col: value * scale for col, value in row.items()}
    for col, value in by.items():
        result[col] = result.get(col, 0) - factor * value
    result = {col: value for col, value in result.items() if value}
    divisor = 0
    for value in result.values():
        divisor = gcd(divisor, value)
    return {col: value // divisor for col, value in result.items()} if divisor > 1 else result


def _derivable(relations: list[Relation], hidden: Mapping[Key, Reason]) -> list[Key]:
    """Hidden cells whose value follows from the shown ones by combining relations.

    A hidden cell is determined exactly when its unit vector lies in the span of the
    relations restricted to the hidden cells: in reduced echelon form, a row with a
    single non-zero entry.
    """
    keys = sorted(hidden)
    unknowns = {key: position for position, key in enumerate(keys)}
    involved = [r for r in relations if r.total in hidden or any(p in hidden for p in r.parts)]
    return [keys[next(iter(row))] for row in _reduced_rows(involved, unknowns) if len(row) == 1]


def protect(cells: Mapping[Key, CellFacts], small: TooSmall) -> dict[Key, Reason]:
    """Every hidden cell of one slice with its reason: primary, then complementary.

    The heuristic sweeps the relations one by one; an exact audit then looks for a
    cell given away by combining relations (a province's row and a member's column),
    hides one more cell to stop it and sweeps again, until nothing can be derived.
    """
    hidden: dict[Key, Reason] = {key: facts.reason for key, facts in cells.items() if facts.reason}
    if not hidden:
        return hidden
    relations = additive_relations(cells)
    while True:
        _sweep(relations, cells=cells, hidden=hidden, small=small)
        extra = _break_derivation(relations, cells, hidden)
        if extra is None:
            return hidden
        hidden[extra] = SECONDARY_REASON


def _break_derivation(
    relations: list[Relation], cells: Mapping[Key, CellFacts], hidden: Mapping[Key, Reason]
) -> Key | None:
    """A cell to hide so that the first derivable hidden cell is no longer derivable.

    Candidates are the shown cells of the relations that touch a hidden cell, the least
    important first (a cell inside the table before a margin, the Canada total last,
    then the smallest); the first whose hiding stops the derivation is chosen, else the
    first candidate, and the caller tries again.
    """
    derivable = _derivable(relations, hidden)
    if not derivable:
        return None
    touching = [r for r in relations if any(key in hidden for key in _cells(r))]
    candidates = sorted(
        {key for r in touching for key in _cells(r) if key not in hidden},
        key=lambda k: (
            (k[0] == CANADA) + (k[1] == ""),
            cells[k].mass is not None and cells[k].mass == 0,
            cells[k].mass or Decimal(0),
            cells[k].organisations,
            k,
        ),
    )
    for key in candidates:
        if derivable[0] not in _derivable(relations, {**hidden, key: SECONDARY_REASON}):
            return key
    return candidates[0] if candidates else None


def _cells(relation: Relation) -> tuple[Key, ...]:
    return (relation.total, *relation.parts)


def too_small(indicator: Indicator) -> TooSmall:
    """How a hidden sum published as a difference is judged: as a cell of its own."""
    organisations_below = suppress_organisations_below()
    count_below = suppress_count_below()
    counts = (
        indicator.unit == Indicator.Unit.COUNT
        and indicator.aggregation == Indicator.Aggregation.SUM
    )

    def small(mass: Decimal, organisations: int) -> bool:
        return organisations < organisations_below or (counts and mass < count_below)

    return small
