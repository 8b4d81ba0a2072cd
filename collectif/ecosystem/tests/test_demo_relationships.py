"""The demo's network: a few hundred ties of every type, bridges, isolated organisations,
the same from the same seed."""

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TypeVar

import pytest

from collectif.ecosystem import demo, demo_relationships
from collectif.ecosystem.models import Organisation, Relationship

T = TypeVar("T")


class QuietOutput:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, text: str) -> None:
        self.lines.append(text)

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        yield from items


def _ties() -> set[tuple[str, str, str]]:
    return set(Relationship.objects.values_list("source__slug", "target__slug", "type__code"))


@pytest.mark.django_db
def test_the_demo_network_has_every_kind_of_tie_bridges_and_isolated_organisations() -> None:
    demo.load(rng=random.Random(2026), out=QuietOutput())
    out = QuietOutput()
    assert not demo_relationships.is_loaded()

    demo_relationships.load(rng=random.Random(11), out=out)

    ties = _ties()
    assert 200 <= len(ties) <= 800
    assert {code for _s, _t, code in ties} == {
        "funds",
        "refers",
        "partners",
        "member-of",
        "sponsors",
    }
    assert not any(source == target for source, target, _code in ties)
    active = set(
        Organisation.objects.filter(archived_at__isnull=True).values_list("slug", flat=True)
    )
    tied = {s for s, _t, _c in ties} | {t for _s, t, _c in ties}
    assert tied <= active
    assert len(active - tied) >= demo_relationships.ISOLATED_COUNT
    reach: dict[str, set[str]] = defaultdict(set)
    rows = Relationship.objects.values_list(
        "source__slug",
        "target__head_office_province_id",
        "target__slug",
        "source__head_office_province_id",
    )
    for source, target_province, target, source_province in rows:
        reach[source].add(target_province)
        reach[target].add(source_province)
    bridges = [slug for slug, places in reach.items() if len(places) >= 10]
    assert len(bridges) >= demo_relationships.BRIDGE_COUNT
    assert out.lines and "Relationships:" in out.lines[0]
    assert demo_relationships.summary() == [
        f"Relationships: {len(ties)} ties between the demo organisations."
    ]


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_network() -> None:
    demo.load(rng=random.Random(5), out=QuietOutput())
    demo_relationships.load(rng=random.Random(3), out=QuietOutput())
    first = _ties()
    Relationship.objects.all().delete()
    demo_relationships.load(rng=random.Random(3), out=QuietOutput())
    assert _ties() == first
    Relationship.objects.all().delete()
    demo_relationships.load(rng=random.Random(4), out=QuietOutput())
    assert _ties() != first
