"""The engagement pipeline's rules, shared by the board, the forms, the API and the demo.

Which moves between stages are allowed, what "overdue" means, and how a history of
steps replays to the stage an organisation stands at. Pure functions: every channel
asks the same questions and gets the same answers.
"""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from collectif.ecosystem.models.engagement import STAGE_RANK, Stage

# The forward path, in order; the board shows one section per stage in STAGES' order.
FORWARD = (
    Stage.IDENTIFIED,
    Stage.APPROACHED,
    Stage.IN_CONVERSATION,
    Stage.ENGAGED,
    Stage.COMMITTED,
)
# Beside the path: an organisation may land here from anywhere.
ASIDE = (Stage.DECLINED, Stage.DORMANT)
STAGES = (*FORWARD, *ASIDE)
# Where an organisation that declined or went quiet may start again.
RESTART = (Stage.IDENTIFIED, Stage.APPROACHED)
# Where an organisation with no pipeline row stands: every organisation starts here.
START = Stage.IDENTIFIED


def as_stage(value: str) -> Stage | None:
    """The stage a code names, or None for anything else."""
    try:
        return Stage(value)
    except ValueError:
        return None


def move_allowed(from_stage: str, to_stage: str) -> bool:
    """Whether an organisation at `from_stage` may be recorded at `to_stage`.

    Recording a step without changing stage is always allowed. Any stage may go to
    declined or dormant; those two may start again at identified or approached; along
    the path, moves go forward and may skip stages, never back (going back is a step
    aside to dormant, then a fresh start, so the history says what happened).
    """
    start, end = as_stage(from_stage), as_stage(to_stage)
    if start is None or end is None:
        return False
    if start == end or end in ASIDE:
        return True
    if start in ASIDE:
        return end in RESTART
    return STAGE_RANK[end] > STAGE_RANK[start]


def allowed_targets(from_stage: str) -> list[Stage]:
    """Every stage a step from `from_stage` may record, in the board's order."""
    return [stage for stage in STAGES if move_allowed(from_stage, stage)]


def next_stage(stage: str) -> Stage | None:
    """The board's one-click move: the next stage on the path, None at its end or aside."""
    current = as_stage(stage)
    if current is None or current not in FORWARD or current == FORWARD[-1]:
        return None
    return FORWARD[FORWARD.index(current) + 1]


def site_today() -> date:
    """Today where the movement works (the site's time zone), not on the server's clock."""
    return timezone.localdate()


def is_overdue(next_step: str, due: date | None, *, today: date | None = None) -> bool:
    """A next step is overdue when one is set and its due date has passed."""
    if not next_step.strip() or due is None:
        return False
    return due < (today or site_today())


class InvalidHistoryError(ValueError):
    """A recorded history that no sequence of allowed moves could have produced."""


def replay(moves: Iterable[tuple[str, str]], *, start: str = START) -> str:
    """The stage a history of (from, to) steps, oldest first, ends at.

    Each step must start where the previous one ended and be an allowed move; the
    services only ever write such histories, so a break means data written around them.
    """
    current = start
    for number, (from_stage, to_stage) in enumerate(moves, start=1):
        if from_stage != current or not move_allowed(from_stage, to_stage):
            raise InvalidHistoryError(f"step {number}: {from_stage} → {to_stage} after {current}")
        current = to_stage
    return current
