"""The reads behind the gap matrix, its drill-down and the equity summary.

Each matrix is counted in one grouped query (sector × column × stage), whatever the
number of organisations: the page adds only the few small lists it labels the table with
(sectors, columns, targets). An organisation counts in every province or territory it
serves, or at its head office when it lists none; an organisation with no pipeline row
yet counts as *identified*, the stage every organisation starts at.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from collectif.core.models import Province
from collectif.ecosystem.domain.gaps import (
    CellStatus,
    Target,
    TargetBook,
    TargetRule,
    cell_status,
    reached,
    stopped,
)
from collectif.ecosystem.models import (
    EquityIdentity,
    GapAxis,
    GapTarget,
    Organisation,
    PopulationGroup,
    Sector,
    Stage,
)

AXES = tuple(axis.value for axis in GapAxis)


@dataclass(frozen=True)
class GapFilters:
    """Only organisations with this equity identity (code), at this stage; "" for all."""

    equity: str = ""
    stage: str = ""


@dataclass(frozen=True)
class Column:
    key: str  # a province's code, or a population group's code
    label: str  # what the column header shows: the code of a province, a group's name
    name: str  # the full name


@dataclass(frozen=True)
class Cell:
    sector: Sector
    column: Column
    counts: dict[str, int]  # every stage, zeros included
    target: Target

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def reached(self) -> int:
        return reached(self.counts, self.target)

    @property
    def stopped(self) -> int:
        return stopped(self.counts)

    @property
    def earlier(self) -> int:
        """On the path, but not yet at the target's stage."""
        return self.total - self.reached - self.stopped

    @property
    def status(self) -> CellStatus:
        return cell_status(self.counts, self.target)


@dataclass(frozen=True)
class MatrixRow:
    sector: Sector
    cells: list[Cell]


@dataclass(frozen=True)
class LegendEntry:
    sector: str  # "" for every sector
    column: str  # "" for every column
    target: Target


@dataclass(frozen=True)
class GapMatrix:
    axis: str
    filters: GapFilters
    columns: list[Column]
    rows: list[MatrixRow]
    legend: list[LegendEntry] = field(default_factory=list)

    def status_counts(self) -> dict[str, int]:
        found = {status.value: 0 for status in CellStatus}
        for row in self.rows:
            for cell in row.cells:
                found[cell.status.value] += 1
        return found


def _stage() -> Coalesce:
    """The organisation's stage; without a pipeline row yet, the first one."""
    return Coalesce(F("engagement__stage"), Value(Stage.IDENTIFIED.value))


def _province() -> Coalesce:
    """Each province served (one row each), or the head office when it lists none."""
    return Coalesce(F("provinces_served"), F("head_office_province"))


def _organisations(filters: GapFilters) -> QuerySet[Organisation]:
    """The active organisations the filters keep, each with its current stage."""
    organisations = Organisation.objects.filter(archived_at__isnull=True).annotate(
        stage_now=_stage()
    )
    if filters.equity:
        identifies = Organisation.equity_identities.through._default_manager.filter(
            organisation_id=OuterRef("pk"), equityidentity__code=filters.equity
        )
        organisations = organisations.filter(Exists(identifies))
    if filters.stage:
        organisations = organisations.filter(stage_now=filters.stage)
    return organisations


def _with_column(organisations: QuerySet[Organisation], axis: str) -> QuerySet[Organisation]:
    if axis == GapAxis.PROVINCE:
        return organisations.annotate(column=_province())
    return organisations.annotate(column=F("populations_served__code")).filter(column__isnull=False)


def _columns(axis: str) -> list[Column]:
    if axis == GapAxis.PROVINCE:
        return [Column(p.code, p.code, p.name) for p in Province.objects.order_by("sgc_code")]
    groups = PopulationGroup.objects.filter(is_active=True).order_by("position", "code")
    return [Column(g.code, g.name, g.name) for g in groups]


def _rules(axis: str) -> list[TargetRule]:
    column = "province_id" if axis == GapAxis.PROVINCE else "population_group__code"
    rows = GapTarget.objects.filter(axis=axis).values(
        "pk", "sector_id", "minimum_stage", "minimum_count", column=F(column)
    )
    return [
        TargetRule(
            sector=row["sector_id"],
            column=row["column"],
            stage=row["minimum_stage"],
            count=row["minimum_count"],
            pk=row["pk"],
        )
        for row in rows
    ]


def _counts(axis: str, filters: GapFilters, **only: Any) -> dict[tuple[int, str], dict[str, int]]:
    """(sector pk, column key) → {stage: organisations}: the one grouped query."""
    rows = (
        _with_column(_organisations(filters), axis)
        .filter(Q(**only))
        .order_by()
        # Annotations made in the helpers above, out of the plugin's sight.
        .values("sector_id", "column", "stage_now")  # type: ignore[misc]
        .annotate(n=Count("pk"))
    )
    found: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        found[(row["sector_id"], row["column"])][row["stage_now"]] = row["n"]
    return found


def _full(counts: dict[str, int]) -> dict[str, int]:
    return {stage.value: counts.get(stage.value, 0) for stage in Stage}


def _legend(book: TargetBook, sectors: list[Sector], columns: list[Column]) -> list[LegendEntry]:
    sector_names = {s.pk: s.name for s in sectors}
    column_names = {c.key: c.name for c in columns}
    return [
        LegendEntry(
            sector=sector_names.get(rule.sector, "") if rule.sector is not None else "",
            column=column_names.get(rule.column, "") if rule.column is not None else "",
            target=Target(stage=rule.stage, count=rule.count, rule=rule.pk),
        )
        for rule in book.rules
    ]


def gap_matrix(*, axis: str, filters: GapFilters | None = None) -> GapMatrix:
    """Sectors as rows, provinces and territories (or population groups) as columns."""
    axis = axis if axis in AXES else GapAxis.PROVINCE.value
    filters = filters or GapFilters()
    sectors = list(Sector.objects.filter(is_active=True).order_by("position", "code"))
    columns = _columns(axis)
    book = TargetBook(_rules(axis))
    counts = _counts(axis, filters)
    rows = [
        MatrixRow(
            sector=sector,
            cells=[
                Cell(
                    sector=sector,
                    column=column,
                    counts=_full(counts.get((sector.pk, column.key), {})),
                    target=book.target(sector=sector.pk, column=column.key),
                )
                for column in columns
            ],
        )
        for sector in sectors
    ]
    return GapMatrix(
        axis=axis,
        filters=filters,
        columns=columns,
        rows=rows,
        legend=_legend(book, sectors, columns),
    )


def gap_cell(
    *, axis: str, sector_code: str, column_key: str, filters: GapFilters | None = None
) -> Cell:
    """One cell of a matrix, as the matrix counts it; 404 for a cell that does not exist."""
    filters = filters or GapFilters()
    sector = Sector.objects.filter(code=sector_code, is_active=True).first()
    columns = {c.key: c for c in _columns(axis)} if axis in AXES else {}
    column = columns.get(column_key)
    if sector is None or column is None:
        raise Http404
    counts = _counts(axis, filters, sector=sector, column=column.key)
    book = TargetBook(_rules(axis))
    return Cell(
        sector=sector,
        column=column,
        counts=_full(counts.get((sector.pk, column.key), {})),
        target=book.target(sector=sector.pk, column=column.key),
    )


def gap_cell_organisations(*, cell: Cell, axis: str, filters: GapFilters) -> QuerySet[Organisation]:
    """The organisations one cell counts, most advanced first, then by name."""
    organisations = _organisations(filters).filter(sector=cell.sector)
    if axis == GapAxis.PROVINCE:
        through = Organisation.provinces_served.through.objects
        serves = through.filter(organisation_id=OuterRef("pk"), province_id=cell.column.key)
        serves_any = through.filter(organisation_id=OuterRef("pk"))
        organisations = organisations.filter(
            Exists(serves) | (Q(head_office_province_id=cell.column.key) & ~Exists(serves_any))
        )
    else:
        groups = Organisation.populations_served.through._default_manager.filter(
            organisation_id=OuterRef("pk"), populationgroup__code=cell.column.key
        )
        organisations = organisations.filter(Exists(groups))
    return organisations.select_related("sector", "head_office_province", "engagement").order_by(
        "name", "pk"
    )


# --- The equity summary ------------------------------------------------------------------


@dataclass(frozen=True)
class EquityRow:
    identity: EquityIdentity | None  # None: the whole ecosystem
    counts: dict[str, int]
    provinces: int
    share: float  # of the ecosystem's active organisations, 0 to 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def share_percent(self) -> float:
        return self.share * 100

    @property
    def committed(self) -> int:
        return self.counts.get(Stage.COMMITTED.value, 0)


@dataclass(frozen=True)
class EquitySummary:
    rows: list[EquityRow]
    whole: EquityRow
    stages: tuple[Stage, ...] = tuple(Stage)


def equity_summary() -> EquitySummary:
    """Per equity identity: organisations by stage, committed partners, provinces and
    territories reached, and their share of the ecosystem (four queries in all)."""
    identities = list(EquityIdentity.objects.filter(is_active=True).order_by("position", "code"))
    through = Organisation.equity_identities.through._default_manager.filter(
        organisation__archived_at__isnull=True
    )
    by_stage: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        through.annotate(
            stage=Coalesce(F("organisation__engagement__stage"), Value(Stage.IDENTIFIED.value))
        )
        .order_by()
        .values("equityidentity_id", "stage")
        .annotate(n=Count("pk"))
    ):
        by_stage[row["equityidentity_id"]][row["stage"]] = row["n"]
    provinces = dict(
        through.order_by()
        .values("equityidentity_id")
        .annotate(
            n=Count(
                Coalesce(
                    F("organisation__provinces_served"), F("organisation__head_office_province")
                ),
                distinct=True,
            )
        )
        .values_list("equityidentity_id", "n")
    )
    whole_counts: dict[str, int] = dict(
        Organisation.objects.filter(archived_at__isnull=True)
        .annotate(stage=_stage())
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    total = sum(whole_counts.values())
    rows = []
    for identity in identities:
        counts = _full(by_stage.get(identity.pk, {}))
        rows.append(
            EquityRow(
                identity=identity,
                counts=counts,
                provinces=provinces.get(identity.pk, 0),
                share=sum(counts.values()) / total if total else 0.0,
            )
        )
    whole = EquityRow(
        identity=None,
        counts=_full(whole_counts),
        provinces=_provinces_reached(),
        share=1.0 if total else 0.0,
    )
    return EquitySummary(rows=rows, whole=whole)


def _provinces_reached() -> int:
    return (
        Organisation.objects.filter(archived_at__isnull=True)
        .aggregate(n=Count(_province(), distinct=True))
        .get("n")
        or 0
    )


def equity_choices() -> QuerySet[EquityIdentity]:
    return EquityIdentity.objects.filter(is_active=True).order_by("position", "code")


# --- The targets ---------------------------------------------------------------------------


def gap_target_list() -> QuerySet[GapTarget]:
    return GapTarget.objects.select_related("sector", "province", "population_group").order_by(
        "axis", "sector__position", "province__sgc_code", "population_group__position", "pk"
    )


def gap_target_get(*, pk: int) -> GapTarget:
    target = gap_target_list().filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def population_group_choices() -> QuerySet[PopulationGroup]:
    return PopulationGroup.objects.filter(is_active=True).order_by("position", "code")
