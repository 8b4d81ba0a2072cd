"""What a cell of the gap matrix must hold, and whether it does.

The rules live here, apart from the database, because the page, its CSV, the API and
the benchmark must all call a cell *empty*, *weak* or *met* the same way. A cell's
target is the most specific one staff configured (sector and column, then the sector
alone, then the column alone, then the "every cell" row), else the movement's default:
one committed partner.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from collectif.ecosystem.models.engagement import STAGE_RANK, Stage

# Stages that stand beside the path (declined, dormant) never count towards a target.
FORWARD_STAGES: tuple[Stage, ...] = tuple(
    stage for stage in Stage if STAGE_RANK[stage] > 0
)  # identified … committed, in the order of the path
STOPPED_STAGES: tuple[Stage, ...] = tuple(stage for stage in Stage if STAGE_RANK[stage] == 0)


class CellStatus(StrEnum):
    EMPTY = "empty"  # no organisation at any stage
    WEAK = "weak"  # some, but fewer than the target at or beyond its stage
    MET = "met"


@dataclass(frozen=True)
class Target:
    """At least `count` organisations at `stage` or beyond; `rule` is the GapTarget's pk
    it comes from, None for the default."""

    stage: str = Stage.COMMITTED
    count: int = 1
    rule: int | None = None


DEFAULT_TARGET = Target()


@dataclass(frozen=True)
class TargetRule:
    """A configured target, as plain values: None in `sector` or `column` means "every"."""

    sector: int | None
    column: str | None
    stage: str
    count: int
    pk: int | None = None

    @property
    def specificity(self) -> int:
        """Sector and column 3, sector alone 2, column alone 1, every cell 0."""
        return (2 if self.sector is not None else 0) + (1 if self.column is not None else 0)


class TargetBook:
    """The configured targets of one matrix, looked up cell by cell without a query."""

    def __init__(self, rules: Iterable[TargetRule]) -> None:
        self._rules: dict[tuple[int | None, str | None], TargetRule] = {}
        for rule in rules:
            self._rules[(rule.sector, rule.column)] = rule

    def target(self, *, sector: int, column: str) -> Target:
        for key in ((sector, column), (sector, None), (None, column), (None, None)):
            rule = self._rules.get(key)
            if rule is not None:
                return Target(stage=rule.stage, count=rule.count, rule=rule.pk)
        return DEFAULT_TARGET

    @property
    def rules(self) -> list[TargetRule]:
        return sorted(self._rules.values(), key=lambda r: -r.specificity)


def counts_towards(stage: str, target_stage: str) -> bool:
    """Whether an organisation at `stage` counts for a target at `target_stage`."""
    rank = STAGE_RANK.get(Stage(stage), 0)
    return rank > 0 and rank >= STAGE_RANK.get(Stage(target_stage), 0)


def reached(counts: Mapping[str, int], target: Target) -> int:
    """How many organisations of a cell are at the target's stage or beyond."""
    return sum(n for stage, n in counts.items() if counts_towards(stage, target.stage))


def stopped(counts: Mapping[str, int]) -> int:
    """Organisations that declined or went dormant: in the cell, but not on the way."""
    return sum(counts.get(stage, 0) for stage in STOPPED_STAGES)


def cell_status(counts: Mapping[str, int], target: Target) -> CellStatus:
    if sum(counts.values()) == 0:
        return CellStatus.EMPTY
    return CellStatus.MET if reached(counts, target) >= target.count else CellStatus.WEAK
