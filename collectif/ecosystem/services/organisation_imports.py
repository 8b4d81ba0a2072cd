"""Importing organisations from a spreadsheet: plan every row, then write all or nothing.

An organisation already in Collectif with the same name (in either language) and the
same head-office province is updated; any other row creates one. Every row is checked
exactly as the form would check it (`organisation_check`) before anything is written,
so a file with one wrong row writes nothing and says what to fix, row by row.

An empty cell leaves the existing value as it is: a partner's list with no website
column, or a blank one, never wipes websites already recorded.
"""

from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.core.actors import Actor, require
from collectif.core.files import FileProblem, header_role, normalise_header, read_table
from collectif.core.services import audit_record
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.files.organisations import (
    COLUMN_ALIASES,
    Columns,
    Lookup,
    OrganisationRow,
    References,
    RowProblem,
    column_problems,
    read_columns,
    read_rows,
)
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.services import organisations as services
from collectif.ecosystem.services.organisations import OrganisationData

# The service's field names, by the file's column role.
FIELDS = {
    "name_en": "name_en",
    "name_fr": "name_fr",
    "description_en": "description_en",
    "description_fr": "description_fr",
    "sector": "sector",
    "province": "head_office_province",
    "provinces_served": "provinces_served",
    "website": "website",
    "populations": "populations_served",
    "equity": "equity_identities",
    "public": "is_public",
}
ROLES = {name: role for role, name in FIELDS.items()}
# The changed fields as a person reads them in the preview and the command's report.
FIELD_LABELS = {
    "name_en": gettext_lazy("name (English)"),
    "name_fr": gettext_lazy("name (French)"),
    "description_en": gettext_lazy("description (English)"),
    "description_fr": gettext_lazy("description (French)"),
    "sector": gettext_lazy("sector"),
    "head_office_province": gettext_lazy("head office"),
    "provinces_served": gettext_lazy("provinces and territories served"),
    "website": gettext_lazy("website"),
    "size_band": gettext_lazy("size"),
    "is_public": gettext_lazy("listed publicly"),
    "populations_served": gettext_lazy("young people it serves"),
    "equity_identities": gettext_lazy("identifies as"),
}
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class PlannedRow:
    """What one valid row would do."""

    row: int
    action: str
    name: str
    data: OrganisationData
    organisation: Organisation | None = None
    changes: list[str] = field(default_factory=list)

    def change_labels(self) -> str:
        return ", ".join(str(FIELD_LABELS.get(name, name)) for name in self.changes)


@dataclass
class ImportReport:
    """The whole file's plan, its problems, and whether it was written."""

    planned: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False

    def counts(self) -> dict[str, int]:
        actions = [p.action for p in self.planned]
        return {
            "rows": len(actions) + len({p.row for p in self.problems if p.row is not None}),
            "created": actions.count(CREATE),
            "updated": actions.count(UPDATE),
            "unchanged": actions.count(UNCHANGED),
            "invalid": len({p.row for p in self.problems if p.row is not None}),
        }

    @property
    def valid(self) -> bool:
        return not self.problems


def _references() -> References:
    return References(
        sectors=Lookup(selectors.sector_list(include_inactive=True)),
        provinces=Lookup(selectors.province_choices()),
        populations=Lookup(selectors.population_choices()),
        equity=Lookup(selectors.equity_choices()),
    )


def _existing(row: OrganisationRow) -> tuple[Organisation | None, str]:
    """The organisation this row names, if any; a row naming two different ones is wrong."""
    province = row.values["province"].code
    found = {
        name: selectors.organisation_with_name(name=row.values[name], province_code=province)
        for name in ("name_en", "name_fr")
        if row.values.get(name)
    }
    matches = {o.pk: o for o in found.values() if o is not None}
    if len(matches) > 1:
        return None, _(
            "The English name is another organisation's than the French name, in this "
            "province. Check both names."
        )
    return next(iter(matches.values()), None), ""


def _data(row: OrganisationRow, organisation: Organisation | None) -> OrganisationData:
    start = (
        services.organisation_data(organisation)
        if organisation is not None
        else OrganisationData(
            sector=row.values["sector"], head_office_province=row.values["province"]
        )
    )
    return replace(start, **{FIELDS[role]: value for role, value in row.values.items()})


def _row_problems(error: ValidationError, row: int, columns: Columns) -> list[RowProblem]:
    problems = []
    by_field = error.error_dict if hasattr(error, "error_dict") else {"": error.error_list}
    for name, errors in by_field.items():
        role = ROLES.get(name, "")
        column = columns.header(role) if role in columns.roles.values() else ""
        for message in ValidationError(errors).messages:
            problems.append(RowProblem(message, row=row, column=column))
    return problems


def _duplicate_keys(row: OrganisationRow) -> list[tuple[str, str]]:
    return [
        (normalise_header(str(row.values[name])), row.values["province"].code)
        for name in ("name_en", "name_fr")
        if row.values.get(name)
    ]


def _plan_row(
    row: OrganisationRow, columns: Columns, seen: dict[tuple[str, str], int]
) -> tuple[PlannedRow | None, list[RowProblem]]:
    for key in _duplicate_keys(row):
        if key in seen:
            message = _("This is the same organisation as row %(row)s. Keep one of the rows.")
            return None, [RowProblem(message % {"row": seen[key]}, row=row.number)]
    for key in _duplicate_keys(row):
        seen[key] = row.number
    organisation, problem = _existing(row)
    if problem:
        return None, [RowProblem(problem, row=row.number)]
    data = _data(row, organisation)
    try:
        changes = services.organisation_check(data=data, organisation=organisation)
    except ValidationError as error:
        return None, _row_problems(error, row.number, columns)
    action = CREATE if organisation is None else UPDATE if changes else UNCHANGED
    name = str(organisation) if organisation else (data.name_en or data.name_fr)
    return PlannedRow(row.number, action, name, data, organisation, changes), []


def organisation_import_plan(*, actor: Actor, data: BinaryIO, filename: str) -> ImportReport:
    """Read and check the whole file; write nothing."""
    require(actor, "ecosystem.import_organisations")
    report = ImportReport()
    try:
        table = read_table(data, filename=filename, recognise_header=_recognised)
        columns = read_columns(table.headers)
        report.problems = column_problems(columns)
        if report.problems:
            return report
        rows, report.problems = read_rows(table, columns, _references())
    except FileProblem as problem:
        report.problems = [RowProblem(str(problem))]
        return report
    if not rows and not report.problems:
        report.problems = [RowProblem(_("The file has no organisations below its headers."))]
    invalid = {p.row for p in report.problems}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.number in invalid:
            continue
        planned, problems = _plan_row(row, columns, seen)
        report.problems.extend(problems)
        if planned is not None:
            report.planned.append(planned)
    report.problems.sort(key=lambda p: (p.row or 0, p.column))
    return report


def _recognised(headers: list[str]) -> bool:
    """A workbook sheet whose first row names the import's columns."""
    roles = {header_role(h, COLUMN_ALIASES) for h in headers}
    return "sector" in roles and bool(roles & {"name_en", "name_fr"})


@transaction.atomic
def organisation_import(*, actor: Actor, data: BinaryIO, filename: str) -> ImportReport:
    """Plan the file, and write every row in one transaction only if every row is valid."""
    report = organisation_import_plan(actor=actor, data=data, filename=filename)
    if not report.valid:
        return report
    for planned in report.planned:
        if planned.action == CREATE:
            planned.organisation = services.organisation_create(actor=actor, data=planned.data)
        elif planned.action == UPDATE and planned.organisation is not None:
            services.organisation_update(
                actor=actor, organisation=planned.organisation, data=planned.data
            )
    counts: dict[str, Any] = report.counts()
    audit_record(
        actor=actor,
        action=EcosystemAction.ORGANISATION_IMPORT,
        changes={"file": [None, filename[:200]], **{k: [None, v] for k, v in counts.items()}},
    )
    report.written = True
    return report
