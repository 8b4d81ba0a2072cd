"""The pipeline's rules: which moves are allowed, what overdue means, how a history replays."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectif.ecosystem.domain.engagement import (
    ASIDE,
    FORWARD,
    STAGES,
    InvalidHistoryError,
    allowed_targets,
    is_overdue,
    move_allowed,
    next_stage,
    replay,
)
from collectif.ecosystem.models import Stage

stages = st.sampled_from(STAGES)


def test_forward_moves_may_skip_stages_but_never_go_back() -> None:
    assert move_allowed(Stage.IDENTIFIED, Stage.COMMITTED)
    assert move_allowed(Stage.APPROACHED, Stage.IN_CONVERSATION)
    assert not move_allowed(Stage.ENGAGED, Stage.APPROACHED)
    assert not move_allowed(Stage.COMMITTED, Stage.IDENTIFIED)


def test_declined_and_dormant_start_again_only_at_the_beginning() -> None:
    for aside in ASIDE:
        assert allowed_targets(aside) == [
            Stage.IDENTIFIED,
            Stage.APPROACHED,
            Stage.DECLINED,
            Stage.DORMANT,
        ]
    assert not move_allowed(Stage.DORMANT, Stage.ENGAGED)


def test_unknown_stages_are_never_allowed() -> None:
    assert not move_allowed("identified", "partnered")
    assert not move_allowed("", "approached")


@given(stages)
def test_any_stage_may_record_a_step_or_step_aside(stage: Stage) -> None:
    assert move_allowed(stage, stage)
    assert all(move_allowed(stage, aside) for aside in ASIDE)


@given(stages)
def test_the_board_button_is_always_an_allowed_forward_move(stage: Stage) -> None:
    following = next_stage(stage)
    if following is None:
        assert stage in (Stage.COMMITTED, *ASIDE)
    else:
        assert move_allowed(stage, following)
        assert FORWARD.index(following) == FORWARD.index(stage) + 1


def test_overdue_needs_a_next_step_and_a_past_due_date() -> None:
    today = date(2026, 3, 10)
    assert is_overdue("Call back", today - timedelta(days=1), today=today)
    assert not is_overdue("Call back", today, today=today)
    assert not is_overdue("   ", today - timedelta(days=30), today=today)
    assert not is_overdue("Call back", None, today=today)


@st.composite
def allowed_histories(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Sequences of moves each chosen among those allowed from where the last one ended."""
    current: str = Stage.IDENTIFIED
    moves = []
    for _ in range(draw(st.integers(0, 12))):
        following = draw(st.sampled_from(allowed_targets(current)))
        moves.append((current, following.value))
        current = following
    return moves


@given(allowed_histories())
def test_a_history_of_allowed_moves_replays_to_its_last_stage(
    moves: list[tuple[str, str]],
) -> None:
    expected = moves[-1][1] if moves else Stage.IDENTIFIED
    assert replay(moves) == expected


@given(allowed_histories(), stages, stages)
def test_a_broken_history_is_refused(
    moves: list[tuple[str, str]], start: Stage, end: Stage
) -> None:
    current = moves[-1][1] if moves else Stage.IDENTIFIED
    if start == current and move_allowed(start, end):
        assert replay([*moves, (start, end)]) == end
    else:
        with pytest.raises(InvalidHistoryError):
            replay([*moves, (start, end)])
