"""The board's aggregation against hand counts: every organisation counted once, at its stage."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.ecosystem.domain.engagement import STAGES, site_today
from collectif.ecosystem.models import Engagement, Organisation, Stage
from collectif.ecosystem.selectors import engagement as selectors
from collectif.ecosystem.tests.factories import OrganisationFactory

# One organisation each: its stage (None: no pipeline row yet) and whether its next step is late.
pipelines = st.lists(
    st.tuples(st.none() | st.sampled_from(STAGES), st.booleans()), min_size=0, max_size=12
)


def _make(rows: list[tuple[Stage | None, bool]]) -> None:
    today = site_today()
    for stage, late in rows:
        organisation = OrganisationFactory.create()
        if stage is not None:
            Engagement.objects.create(
                organisation=organisation,
                stage=stage,
                stage_since=today - timedelta(days=30),
                next_step="Call" if late else "",
                next_step_due=today - timedelta(days=1),
            )


class BoardCountsTest(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(pipelines, st.integers(min_value=1, max_value=3))
    def test_counts_and_columns_agree_with_a_hand_count(
        self, rows: list[tuple[Stage | None, bool]], per_stage: int
    ) -> None:
        _make(rows)
        expected = Counter((stage or Stage.IDENTIFIED).value for stage, _late in rows)
        counts = selectors.pipeline_stage_counts(filters=selectors.BoardFilters())
        assert counts == {stage.value: expected[stage.value] for stage in STAGES}

        board = selectors.pipeline_board(filters=selectors.BoardFilters(), per_stage=per_stage)
        for stage, cards in board.items():
            assert len(cards) == min(counts[stage], per_stage)
            assert all(card.pipeline_stage == stage for card in cards)  # type: ignore[attr-defined]
        assert (
            sum(
                selectors.pipeline_stage_list(
                    stage=s.value, filters=selectors.BoardFilters()
                ).count()
                for s in STAGES
            )
            == len(rows)
            == Organisation.objects.count()
        )

        late = sum(1 for stage, overdue in rows if stage is not None and overdue)
        overdue = selectors.BoardFilters(overdue=True)
        assert sum(selectors.pipeline_stage_counts(filters=overdue).values()) == late
        assert selectors.overdue_next_step_count() == late == len(selectors.overdue_next_steps())


class ArchivedTest(TestCase):
    def test_an_archived_organisation_leaves_the_board_and_its_overdue_steps(self) -> None:
        _make([(Stage.ENGAGED, True)])
        Organisation.objects.update(archived_at=timezone.now())
        counts = selectors.pipeline_stage_counts(filters=selectors.BoardFilters())
        assert sum(counts.values()) == 0
        assert selectors.overdue_next_step_count() == 0
        assert selectors.overdue_next_steps() == []
