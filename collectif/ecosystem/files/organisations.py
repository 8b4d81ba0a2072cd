"""A spreadsheet of organisations, read into rows the import service can check and write.

The file itself is opened by the shared partner-file reader (`core/files`); this module
knows the columns (English or French headers, compared without case or accents) and
turns each cell into what it means: a sector, provinces, population groups and equity
identities matched by code or by name in either language. Every problem names its row,
its column and what to do, in the language active when it is shown.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from collectif.core.files import Table, header_role, normalise_header

# Each role's accepted headers, already normalised (see `normalise_header`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name_en": ("name en", "name english", "english name", "name", "nom anglais", "nom en"),
    "name_fr": ("name fr", "name french", "french name", "nom francais", "nom fr", "nom"),
    "description_en": ("description en", "description english", "description anglais"),
    "description_fr": ("description fr", "description french", "description francais"),
    "sector": ("sector", "sector code", "secteur", "code du secteur"),
    "province": (
        "province",
        "head office",
        "head office province",
        "province or territory",
        "province du siege social",
        "siege social",
        "province ou territoire",
    ),
    "provinces_served": (
        "provinces served",
        "provinces and territories served",
        "served",
        "provinces desservies",
        "provinces et territoires desservis",
    ),
    "website": ("website", "web site", "site web", "site internet", "url"),
    "populations": (
        "populations",
        "populations served",
        "population groups",
        "young people served",
        "populations desservies",
        "groupes de population",
        "jeunes desservis",
    ),
    "equity": (
        "equity",
        "equity identities",
        "identifies as",
        "equite",
        "identites",
        "s identifie comme",
    ),
    "public": ("public", "listed publicly", "publique", "visible publiquement"),
}
REQUIRED = ("sector", "province")
LIST_SEPARATORS = re.compile(r"[;,|\n]")
YES = frozenset({"yes", "y", "true", "1", "x", "oui", "o", "vrai"})
NO = frozenset({"no", "n", "false", "0", "non", "faux"})
# A cell a spreadsheet would run rather than show: refused, never stored.
FORMULA_START = ("=", "@")


class Named(Protocol):
    """A reference row: a sector, a province, a population group or an equity identity."""

    code: str


@dataclass
class RowProblem:
    """One thing wrong with one cell (or the whole file when row is None)."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class OrganisationRow:
    """One data row as values; `given` lists the roles whose cell was not empty."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)


class Lookup:
    """Rows of one reference list found by code or by name in either language."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.by_key: dict[str, Any] = {}
        for row in rows:
            for key in (row.code, getattr(row, "name_en", ""), getattr(row, "name_fr", "")):
                if key:
                    self.by_key.setdefault(normalise_header(str(key)), row)

    def find(self, text: str) -> Any | None:
        return self.by_key.get(normalise_header(text))


@dataclass
class References:
    sectors: Lookup
    provinces: Lookup
    populations: Lookup
    equity: Lookup


@dataclass
class Columns:
    """Which file column plays which role, and the headers nobody understood."""

    roles: dict[int, str]
    headers: list[str]
    unknown: list[str]
    repeated: list[str]

    def header(self, role: str) -> str:
        for index, found in self.roles.items():
            if found == role:
                return self.headers[index]
        return role


def read_columns(headers: list[str]) -> Columns:
    roles: dict[int, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        role = header_role(header, COLUMN_ALIASES)
        if role is None:
            unknown.append(header)
        elif role in roles.values():
            repeated.append(header)
        else:
            roles[index] = role
    return Columns(roles=roles, headers=headers, unknown=unknown, repeated=repeated)


def _quoted(texts: list[str]) -> str:
    """Each text between the reader's quotation marks (« » in French), comma-separated."""
    return ", ".join(_("“%(text)s”") % {"text": text} for text in texts)


def column_problems(columns: Columns) -> list[RowProblem]:
    """What is wrong with the header row: the file cannot be read past it."""
    problems = []
    if columns.unknown:
        problems.append(
            RowProblem(
                _(
                    "These columns are not known: %(columns)s. Rename them to one of the "
                    "import's columns (for example name_en, name_fr, sector, province, "
                    "provinces served, website, populations, equity, public) or delete them."
                )
                % {"columns": _quoted(columns.unknown)}
            )
        )
    if columns.repeated:
        problems.append(
            RowProblem(
                _("These columns say the same thing as another one: %(columns)s. Keep one.")
                % {"columns": _quoted(columns.repeated)}
            )
        )
    found = set(columns.roles.values())
    if not found & {"name_en", "name_fr"}:
        problems.append(RowProblem(_("The file needs a name column: name_en, name_fr or both.")))
    for role in REQUIRED:
        if role not in found:
            problems.append(
                RowProblem(_("The file needs a “%(column)s” column.") % {"column": role})
            )
    return problems


def _split(text: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


def _one(text: str, lookup: Lookup, message: str) -> tuple[Any | None, str]:
    found = lookup.find(text)
    if found is None:
        return None, message % {"value": text}
    return found, ""


def _many(text: str, lookup: Lookup, message: str) -> tuple[tuple[Any, ...], str]:
    found, unknown = [], []
    for part in _split(text):
        row = lookup.find(part)
        if row is None:
            unknown.append(part)
        elif row not in found:
            found.append(row)
    if unknown:
        return (), message % {"values": _quoted(unknown)}
    return tuple(found), ""


def _flag(text: str) -> tuple[bool | None, str]:
    word = normalise_header(text)
    if word in YES:
        return True, ""
    if word in NO:
        return False, ""
    return None, _("Write yes or no (oui or non).")


def _cell_value(role: str, text: str, refs: References) -> tuple[Any, str]:
    """What one non-empty cell means, or why it means nothing."""
    if text.startswith(FORMULA_START):
        return None, _("This looks like a spreadsheet formula. Type the value itself.")
    if role == "sector":
        return _one(
            text, refs.sectors, _("“%(value)s” is not a known sector. Use its code or its name.")
        )
    if role == "province":
        return _one(
            text,
            refs.provinces,
            _("“%(value)s” is not a province or territory. Use its code (ON, QC…) or its name."),
        )
    if role == "provinces_served":
        return _many(
            text,
            refs.provinces,
            _(
                "%(values)s: not provinces or territories. Use codes (ON, QC…) or names "
                "separated by semicolons."
            ),
        )
    if role == "populations":
        return _many(
            text,
            refs.populations,
            _(
                "%(values)s: not known population groups. Use codes or names separated "
                "by semicolons."
            ),
        )
    if role == "equity":
        return _many(
            text,
            refs.equity,
            _(
                "%(values)s: not known equity identities. Use codes or names separated "
                "by semicolons."
            ),
        )
    if role == "public":
        return _flag(text)
    return text, ""


def read_rows(
    table: Table, columns: Columns, refs: References
) -> tuple[list[OrganisationRow], list[RowProblem]]:
    """Every data row as values; the problems of every cell, all at once."""
    rows: list[OrganisationRow] = []
    problems: list[RowProblem] = []
    for number, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue
        row = OrganisationRow(number=number)
        for index, role in columns.roles.items():
            text = cells[index].strip() if index < len(cells) else ""
            if not text:
                continue
            value, problem = _cell_value(role, text, refs)
            if problem:
                problems.append(RowProblem(problem, row=number, column=columns.headers[index]))
                continue
            row.values[role] = value
            row.given.add(role)
        for role in REQUIRED:
            if role not in row.given and not any(
                p.row == number and p.column == columns.header(role) for p in problems
            ):
                problems.append(
                    RowProblem(_("This cell is empty: fill it in."), number, columns.header(role))
                )
        if not row.given & {"name_en", "name_fr"}:
            problems.append(
                RowProblem(_("Give the organisation's name in English, French or both."), number)
            )
        rows.append(row)
    return rows, problems
