"""A Kumu-style file of ties (`From, To, Type`) to the relationships it would create or change.

Reading writes nothing: `plan_relationships` matches every row's organisations and type,
checks its values and compares it with what is recorded, then hands back a plan (rows
to create, rows to update, rows unchanged) and the rows it cannot use, each named by
row and column with what to do, in the reader's language. The service writes the plan
only when nothing is wrong with it (or, from the command line, the usable rows only).

Organisations are matched by name in either language, without regard to case, accents
or punctuation; when two organisations share a name, by province too: a
`From province` / `To province` column, or the province's code after the name, as in
`Grands Amis (QC)`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.core.files import FileProblem, Table, header_role, read_table
from collectif.core.files.problems import count, file_problem
from collectif.ecosystem.files.relationship_names import (
    Directory,
    OrganisationRef,
    lazy_message,
    match_key,
)
from collectif.ecosystem.models import RelationshipType, Strength
from collectif.ecosystem.selectors import relationships as selectors
from collectif.ecosystem.services.relationships import NOTE_MAX_LENGTH, ImportedTie

# Each column's role and the headers that name it, compared normalised (no case,
# accents or punctuation): English, French, and the words Kumu's own files use.
ALIASES: dict[str, tuple[str, ...]] = {
    "from": ("from", "de", "source", "from organisation", "organisme de depart"),
    "to": ("to", "a", "vers", "target", "to organisation", "organisme d arrivee"),
    "type": ("type", "relationship type", "type de relation", "type de lien"),
    "strength": ("strength", "force", "weight", "poids"),
    "start": ("start", "start date", "since", "debut", "date de debut"),
    "end": ("end", "end date", "until", "fin", "date de fin"),
    "note": ("note", "notes", "description", "remarque", "commentaire"),
    "from_province": ("from province", "source province", "province de depart"),
    "to_province": (
        "to province",
        "target province",
        "province d arrivee",
        "province de destination",
    ),
}
REQUIRED = ("from", "to", "type")
# More rows than the map is built for is a wrong file, not a network.
MAX_ROWS = 100_000
STRENGTHS: dict[str, int] = {
    **dict.fromkeys(("1", "weak", "faible"), Strength.WEAK),
    **dict.fromkeys(
        ("2", "moderate", "medium", "moyen", "moyenne", "modere", "moderee"), Strength.MODERATE
    ),
    **dict.fromkeys(("3", "strong", "fort", "forte"), Strength.STRONG),
}
# A date as people and workbooks write it: 2024-09-01, maybe with a time after it.
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]*)?$")


@dataclass(frozen=True)
class RowProblem:
    """A row the import cannot use: where it is, and a message saying what to do."""

    row: int
    column: str
    value: str
    kind: str  # "unmatched" (an organisation not found) or "invalid"
    problem: FileProblem

    @property
    def message(self) -> Promise | str:
        return self.problem.message


@dataclass
class RelationshipPlan:
    """What a file would do, row by row; nothing is written until it is confirmed."""

    filename: str
    rows: int = 0
    creates: list[ImportedTie] = field(default_factory=list)
    updates: list[ImportedTie] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    unmatched: list[RowProblem] = field(default_factory=list)
    invalid: list[RowProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[RowProblem]:
        return sorted(self.unmatched + self.invalid, key=lambda p: (p.row, p.column))

    @property
    def is_clean(self) -> bool:
        return not self.unmatched and not self.invalid

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": len(self.unchanged),
            "unmatched": len(self.unmatched),
            "invalid": len(self.invalid),
        }


# --- The header row --------------------------------------------------------------------


def recognise_header(cells: list[str]) -> bool:
    roles = {header_role(cell, ALIASES) for cell in cells}
    return "from" in roles and "to" in roles


def columns(headers: list[str]) -> dict[str, int]:
    """Each role's column, or the file's refusal: a missing, unknown or repeated header."""
    found: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        role = header_role(header, ALIASES)
        if role is None:
            unknown.append(header.strip()[:60])
        elif role in found:
            raise file_problem(
                "repeated_column",
                _(
                    "Two columns are headed “%(header)s”. Keep one, save the file and "
                    "upload it again."
                ),
                header=header.strip()[:60],
            )
        else:
            found[role] = index
    if unknown:
        raise file_problem(
            "unknown_columns",
            _(
                "Collectif does not know these columns: %(columns)s. A relationship file has "
                "the columns From, To and Type (or De, À, Type), and may have Strength, Start, "
                "End, Note, From province and To province. Rename or delete the others and "
                "upload the file again."
            ),
            columns=", ".join(f"“{name}”" for name in unknown),
        )
    missing = [role for role in REQUIRED if role not in found]
    if missing:
        raise file_problem(
            "missing_columns",
            _(
                "The file has no %(columns)s column. Its first row must name the columns: "
                "From, To and Type (or De, À, Type)."
            ),
            columns=" / ".join(_ROLE_NAMES[role] for role in missing),
        )
    return found


_ROLE_NAMES = {"from": "From (De)", "to": "To (À)", "type": "Type"}


# --- The rows ----------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row's cells by role, and what checking it found."""

    number: int
    cells: dict[str, str]
    headers: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)

    def cell(self, role: str) -> str:
        return self.cells.get(role, "")

    def refuse(self, role: str, kind: str, message: Any) -> None:
        self.problems.append(
            RowProblem(
                row=self.number,
                column=self.headers.get(role, role),
                value=self.cell(role)[:200],
                kind=kind,
                problem=FileProblem(message, code=kind),
            )
        )


def _date(row: _Row, role: str) -> date | None:
    text = row.cell(role)
    if not text:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text[:10])
    except ValueError:
        row.refuse(
            role,
            "invalid",
            lazy_message(
                _("“%(value)s” is not a date. Write it as year-month-day, such as 2024-09-01."),
                value=text[:40],
            ),
        )
        return None


def _strength(row: _Row) -> int | None:
    text = row.cell("strength")
    if not text:
        return None
    key = match_key(text)
    # "2.0" is how a workbook may hand back the number 2.
    strength = STRENGTHS.get(key) or STRENGTHS.get(key.removesuffix(" 0"))
    if strength is None:
        row.refuse(
            "strength",
            "invalid",
            lazy_message(
                _("“%(value)s” is not a strength. Write 1, 2 or 3 (weak, moderate or strong)."),
                value=text[:40],
            ),
        )
    return strength


def _note(row: _Row) -> str | None:
    text = row.cell("note")
    if "note" not in row.cells:
        return None
    if text.startswith("="):
        row.refuse(
            "note",
            "invalid",
            _("This cell holds a spreadsheet formula. Write the note as plain text."),
        )
    elif len(text) > NOTE_MAX_LENGTH:
        row.refuse(
            "note",
            "invalid",
            lazy_message(
                _("The note has %(length)s characters; keep it under %(limit)s."),
                length=count(len(text)),
                limit=count(NOTE_MAX_LENGTH),
            ),
        )
    return text


def _organisation(row: _Row, directory: Directory, role: str) -> OrganisationRef | None:
    text = row.cell(role)
    if not text:
        row.refuse(role, "invalid", _("This cell is empty: name the organisation."))
        return None
    found, why = directory.find(text, row.cell(f"{role}_province"))
    if found is None:
        row.refuse(role, "unmatched", why)
    elif found.archived:
        row.refuse(
            role,
            "invalid",
            lazy_message(
                _("“%(name)s” is archived. Restore it first, or delete this row."), name=text[:200]
            ),
        )
    return found


def _type(row: _Row, directory: Directory) -> RelationshipType | None:
    text = row.cell("type")
    kind = directory.types.get(match_key(text)) if text else None
    if kind is None:
        names = ", ".join(sorted({str(t) for t in directory.types.values() if t.is_active}))
        row.refuse(
            "type",
            "invalid",
            lazy_message(
                _("“%(value)s” is not a type of relationship. Write one of: %(types)s."),
                value=text[:60],
                types=names,
            ),
        )
    elif not kind.is_active:
        row.refuse(
            "type",
            "invalid",
            lazy_message(
                _("The type “%(value)s” is no longer in use: choose another."), value=text[:60]
            ),
        )
    return kind


@dataclass(frozen=True)
class _Checked:
    row: int
    source: int
    target: int
    type: RelationshipType
    strength: int | None
    started_on: date | None
    ended_on: date | None
    note: str | None


def check_row(row: _Row, directory: Directory) -> _Checked | None:
    """The row's values, matched and checked; None when any is wrong (`row.problems`)."""
    source = _organisation(row, directory, "from")
    target = _organisation(row, directory, "to")
    kind = _type(row, directory)
    values = (_strength(row), _date(row, "start"), _date(row, "end"), _note(row))
    if source is not None and target is not None and source.pk == target.pk:
        row.refuse(
            "to",
            "invalid",
            _(
                "The row ties an organisation to itself. Name two different organisations, "
                "or delete the row."
            ),
        )
    if values[1] and values[2] and values[2] < values[1]:
        row.refuse("end", "invalid", _("The end date is before the start date."))
    if row.problems or source is None or target is None or kind is None:
        return None
    return _Checked(row.number, source.pk, target.pk, kind, *values)


def _key(checked: _Checked) -> tuple[int, int, int]:
    """A tie's identity; an undirected tie is the same either way round."""
    ends = (checked.source, checked.target)
    if not checked.type.is_directed:
        ends = (min(ends), max(ends))
    return (ends[0], ends[1], checked.type.pk)


def _rows(table: Table) -> Iterator[tuple[int, list[str]]]:
    for seen, (number, cells) in enumerate(table.rows, start=1):
        if seen > MAX_ROWS:
            raise file_problem(
                "too_many_rows",
                _("The file has more than %(limit)s rows. Split it into smaller files."),
                limit=count(MAX_ROWS),
            )
        if any(cell.strip() for cell in cells):
            yield number, cells


def plan_relationships(table: Table, *, filename: str) -> RelationshipPlan:
    """Match and check every row of a read file; raises FileProblem for the file as a whole."""
    where = columns(table.headers)
    headers = {role: table.headers[index].strip() for role, index in where.items()}
    directory = Directory()
    plan = RelationshipPlan(filename=filename)
    checked: list[_Checked] = []
    first_row: dict[tuple[int, int, int], int] = {}
    for number, cells in _rows(table):
        plan.rows += 1
        values = {role: (cells[i] if i < len(cells) else "").strip() for role, i in where.items()}
        row = _Row(number=number, cells=values, headers=headers)
        result = check_row(row, directory)
        if result is not None and _key(result) in first_row:
            row.refuse(
                "to",
                "invalid",
                lazy_message(
                    _("Row %(row)s already gives this relationship. Keep one of the two rows."),
                    row=count(first_row[_key(result)]),
                ),
            )
            result = None
        if result is None:
            for problem in row.problems:
                (plan.unmatched if problem.kind == "unmatched" else plan.invalid).append(problem)
            continue
        first_row[_key(result)] = number
        checked.append(result)
    if plan.rows == 0:
        raise file_problem(
            "no_data",
            _("The file has no relationships: only the column headers. Add one per row."),
        )
    _compare(plan, checked)
    return plan


def _compare(plan: RelationshipPlan, checked: list[_Checked]) -> None:
    """Sort the checked rows into new ties, changed ones and ones already as recorded."""
    ids = {c.source for c in checked} | {c.target for c in checked}
    recorded: dict[tuple[int, int, int], Any] = {}
    for relationship in selectors.relationships_between(source_ids=ids).select_related("type"):
        ends = (relationship.source_id, relationship.target_id)
        if not relationship.type.is_directed:
            ends = (min(ends), max(ends))
        recorded[(ends[0], ends[1], relationship.type_id)] = relationship
    for item in checked:
        existing = recorded.get(_key(item))
        tie = ImportedTie(
            row=item.row,
            source_id=item.source,
            target_id=item.target,
            type_id=item.type.pk,
            strength=item.strength,
            started_on=item.started_on,
            ended_on=item.ended_on,
            note=item.note,
            existing=existing,
        )
        if existing is None:
            plan.creates.append(tie)
        elif _changes(existing, item):
            if _ends_before_start(existing, item):
                plan.invalid.append(_ends_early(item))
            else:
                plan.updates.append(tie)
        else:
            plan.unchanged.append(item.row)


def _changes(existing: Any, item: _Checked) -> bool:
    given = {
        "strength": item.strength,
        "started_on": item.started_on,
        "ended_on": item.ended_on,
        "note": item.note,
    }
    return any(
        value is not None and getattr(existing, key) != value for key, value in given.items()
    )


def _ends_before_start(existing: Any, item: _Checked) -> bool:
    start = item.started_on or existing.started_on
    end = item.ended_on or existing.ended_on
    return bool(start and end and end < start)


def _ends_early(item: _Checked) -> RowProblem:
    return RowProblem(
        row=item.row,
        column="",
        value="",
        kind="invalid",
        problem=FileProblem(  # the dates are in the file or in the record: no one column
            _(
                "With the dates already recorded for this relationship, it would end "
                "before it starts. Give both dates in the file."
            ),
            code="invalid",
        ),
    )


def read_relationships(data: BinaryIO, *, filename: str) -> RelationshipPlan:
    """Open a CSV or XLSX file of ties and plan it; raises FileProblem when unreadable."""
    table = read_table(data, filename=filename, recognise_header=recognise_header)
    return plan_relationships(table, filename=filename)
