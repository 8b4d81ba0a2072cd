"""The gap matrix's rules: which target a cell answers to, and when it is empty, weak or met."""

from hypothesis import given
from hypothesis import strategies as st

from collectif.ecosystem.domain.gaps import (
    DEFAULT_TARGET,
    CellStatus,
    Target,
    TargetBook,
    TargetRule,
    cell_status,
    counts_towards,
    reached,
)
from collectif.ecosystem.models import STAGE_RANK, Stage

stages = st.sampled_from([stage.value for stage in Stage])
forward = st.sampled_from([stage.value for stage in Stage if STAGE_RANK[stage] > 0])
counts = st.dictionaries(stages, st.integers(min_value=0, max_value=50))
targets = st.builds(Target, stage=forward, count=st.integers(min_value=1, max_value=20))


def test_without_targets_a_cell_needs_one_committed_partner() -> None:
    book = TargetBook([])
    assert book.target(sector=1, column="ON") == DEFAULT_TARGET
    assert Target(stage=Stage.COMMITTED, count=1) == DEFAULT_TARGET
    assert cell_status({"engaged": 4}, DEFAULT_TARGET) == CellStatus.WEAK
    assert cell_status({"committed": 1}, DEFAULT_TARGET) == CellStatus.MET
    assert cell_status({}, DEFAULT_TARGET) == CellStatus.EMPTY


def test_the_most_specific_target_wins() -> None:
    every = TargetRule(sector=None, column=None, stage=Stage.APPROACHED, count=1, pk=1)
    province = TargetRule(sector=None, column="ON", stage=Stage.ENGAGED, count=2, pk=2)
    sector = TargetRule(sector=7, column=None, stage=Stage.IN_CONVERSATION, count=3, pk=3)
    both = TargetRule(sector=7, column="ON", stage=Stage.COMMITTED, count=4, pk=4)
    book = TargetBook([every, province, sector, both])
    assert book.target(sector=7, column="ON").rule == 4
    assert book.target(sector=7, column="QC").rule == 3
    assert book.target(sector=8, column="ON").rule == 2
    assert book.target(sector=8, column="QC").rule == 1
    assert TargetBook([every, province]).target(sector=7, column="ON").rule == 2
    assert TargetBook([every]).target(sector=7, column="ON") == Target(Stage.APPROACHED, 1, 1)


def test_declined_and_dormant_organisations_fill_a_cell_but_never_meet_it() -> None:
    stalled = {"declined": 3, "dormant": 2}
    assert cell_status(stalled, Target(stage=Stage.IDENTIFIED, count=1)) == CellStatus.WEAK
    assert not counts_towards(Stage.DECLINED, Stage.IDENTIFIED)
    assert counts_towards(Stage.COMMITTED, Stage.ENGAGED)
    assert not counts_towards(Stage.APPROACHED, Stage.ENGAGED)


@given(counts, targets)
def test_a_cell_is_empty_exactly_when_it_holds_nobody(
    found: dict[str, int], target: Target
) -> None:
    status = cell_status(found, target)
    assert (status == CellStatus.EMPTY) == (sum(found.values()) == 0)


@given(counts, targets)
def test_met_means_enough_at_or_beyond_the_target_stage(
    found: dict[str, int], target: Target
) -> None:
    at_or_beyond = sum(
        n
        for stage, n in found.items()
        if STAGE_RANK[Stage(stage)] >= STAGE_RANK[Stage(target.stage)] > 0
        and STAGE_RANK[Stage(stage)] > 0
    )
    assert reached(found, target) == at_or_beyond
    if sum(found.values()):
        expected = CellStatus.MET if at_or_beyond >= target.count else CellStatus.WEAK
        assert cell_status(found, target) == expected


@given(counts, targets, forward, st.integers(min_value=1, max_value=5))
def test_moving_an_organisation_forward_never_makes_a_cell_worse(
    found: dict[str, int], target: Target, to: str, how_many: int
) -> None:
    """Adding organisations, or any at a later stage, can only keep or raise the status."""
    order = [CellStatus.EMPTY, CellStatus.WEAK, CellStatus.MET]
    before = order.index(cell_status(found, target))
    more = dict(found)
    more[to] = more.get(to, 0) + how_many
    assert order.index(cell_status(more, target)) >= before


@given(counts, forward, forward, st.integers(min_value=1, max_value=10))
def test_a_harder_target_is_never_easier_to_meet(
    found: dict[str, int], easy: str, hard: str, count: int
) -> None:
    if STAGE_RANK[Stage(hard)] < STAGE_RANK[Stage(easy)]:
        easy, hard = hard, easy
    easier, harder = Target(stage=easy, count=count), Target(stage=hard, count=count + 1)
    if cell_status(found, harder) == CellStatus.MET:
        assert cell_status(found, easier) == CellStatus.MET
