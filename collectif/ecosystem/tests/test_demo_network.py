import random

import pytest

from collectif.ecosystem import demo_network
from collectif.ecosystem.models import NetworkAnalysis
from collectif.ecosystem.selectors import network as selectors
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory


class QuietOutput:
    def __init__(self):
        self.lines = []

    def line(self, text):
        self.lines.append(text)

    def progress(self, items, label, total=None):
        yield from items


@pytest.mark.django_db
def test_the_demo_map_is_ready_without_a_worker():
    hub = OrganisationFactory.create()
    for _ in range(3):
        RelationshipFactory.create(source=hub, target=OrganisationFactory.create())
    OrganisationFactory.create(is_public=False)
    assert demo_network.summary() == []

    demo_network.load(rng=random.Random(1), out=QuietOutput())

    assert NetworkAnalysis.objects.count() == 2
    whole = selectors.latest_analysis(scope=selectors.SCOPE_ALL)
    public = selectors.latest_analysis(scope=selectors.SCOPE_PUBLIC)
    assert whole is not None and public is not None
    assert (whole.node_count, public.node_count) == (5, 4)
    assert demo_network.summary() == ["Network map: 5 organisations, 3 ties, 1 community"]


@pytest.mark.django_db
def test_the_demo_map_is_the_same_every_time():
    hub = OrganisationFactory.create()
    for _ in range(5):
        RelationshipFactory.create(source=hub, target=OrganisationFactory.create())

    def positions():
        analysis = selectors.latest_analysis(scope=selectors.SCOPE_ALL)
        assert analysis is not None
        return sorted(analysis.nodes.values_list("organisation_id", "x", "y", "community"))

    demo_network.load(rng=random.Random(1), out=QuietOutput())
    first = positions()
    demo_network.load(rng=random.Random(2), out=QuietOutput())
    assert positions() == first
