"""The demo's pipeline: realistic histories, overdue next steps, and thin places on purpose."""

import random
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypeVar

import pytest
from django.db import transaction

from collectif.ecosystem import demo, demo_people, demo_pipeline
from collectif.ecosystem.domain.engagement import replay
from collectif.ecosystem.models import Engagement, EngagementEvent, Organisation, Stage
from collectif.ecosystem.selectors import engagement as selectors

T = TypeVar("T")


class QuietOutput:
    def line(self, text: str) -> None:
        pass

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        yield from items


def _load(seed: int) -> None:
    out = QuietOutput()
    demo.load(rng=random.Random(seed), out=out)
    demo_people.load(rng=random.Random(seed), out=out)
    demo_pipeline.load(rng=random.Random(seed), out=out)


def _fingerprint() -> list[tuple[str, str, date, str]]:
    return sorted(
        EngagementEvent.objects.values_list(
            "organisation__slug", "to_stage", "happened_on", "next_step"
        ).order_by()
    )


@pytest.mark.django_db
def test_every_active_organisation_has_a_history_that_replays_to_its_stage() -> None:
    assert not demo_pipeline.is_loaded()
    _load(3)
    assert demo_pipeline.is_loaded()
    active = Organisation.objects.filter(archived_at__isnull=True).exclude(slug="backbone")
    engagements = {e.organisation_id: e for e in Engagement.objects.all()}
    stages = set()
    for organisation in active:
        events = list(
            EngagementEvent.objects.filter(organisation=organisation).order_by("happened_on", "pk")
        )
        assert 1 <= len(events) <= 5, organisation.slug
        final = replay((e.from_stage, e.to_stage) for e in events)
        assert engagements[organisation.pk].stage == final
        assert all(e.recorded_by is not None for e in events)
        stages.add(final)
    assert stages == set(Stage.values)
    for slug in demo.DEMO_STEWARD_ORGANISATIONS:
        assert Engagement.objects.get(organisation__slug=slug).stage == Stage.COMMITTED


@pytest.mark.django_db
def test_some_next_steps_are_overdue_and_owned_by_staff() -> None:
    _load(3)
    overdue = selectors.overdue_next_steps()
    assert len(overdue) == selectors.overdue_next_step_count() >= 5
    owners = set(Engagement.objects.exclude(owner=None).values_list("owner__email", flat=True))
    assert owners == set(demo_pipeline.STAFF_EMAILS)
    for step in overdue:
        assert step.next_step_owner is not None
        assert selectors.is_staff_person(step.next_step_owner)


@pytest.mark.django_db
def test_the_thin_places_are_thin_and_the_summary_says_which() -> None:
    _load(3)
    for sector, provinces, ceiling in demo_pipeline.CEILINGS:
        assert demo_pipeline._thin_place_count(sector, provinces, ceiling) == 0
    # The territories and the Atlantic provinces do have such organisations, held back.
    assert Organisation.objects.filter(
        sector__code="government", head_office_province_id__in=demo_pipeline.ATLANTIC
    ).exists()
    lines = demo_pipeline.summary()
    assert "no business in Yukon, the Northwest Territories or Nunavut beyond engaged" in (lines[1])
    assert "next steps overdue" in lines[0]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_pipeline() -> None:
    with transaction.atomic():
        _load(5)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert first and not EngagementEvent.objects.exists()
    _load(5)
    assert _fingerprint() == first
