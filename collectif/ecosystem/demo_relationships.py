"""Demo ties: a few hundred relationships among the demo organisations, from the seed.

The network is shaped like a real movement's so that the map has something to show:
funders fund programs near them, programs refer young people to each other within their
province, programs are members of the backbone's network or of a provincial one,
businesses sponsor, schools and governments partner. Each province forms a cluster; two
national organisations bridge the clusters, and a handful of organisations have no tie
at all (the map's "isolated" list). Written through the import service, in one go.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from collectif.core.actors import SYSTEM
from collectif.core.manifest import DemoOutput
from collectif.ecosystem.demo import BACKBONE_SLUG, NEIGHBOURS
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType, Strength
from collectif.ecosystem.services.relationships import ImportedTie, relationship_import

ISOLATED_COUNT = 6
BRIDGE_COUNT = 2
PROGRAM_SECTORS = ("non-profit", "youth-led")
FIRST_DAY = date(2015, 1, 1)
DEMO_FILE = "demo"


class _Network:
    """The ties being drawn, each kept once (an undirected one either way round)."""

    def __init__(self, rng: random.Random, types: dict[str, RelationshipType]) -> None:
        self.rng = rng
        self.types = types
        self.ties: dict[tuple[int, int, int], ImportedTie] = {}

    def add(self, source: Organisation, target: Organisation, code: str) -> None:
        kind = self.types[code]
        if source.pk == target.pk:
            return
        first, second = source.pk, target.pk
        if not kind.is_directed:
            first, second = min(first, second), max(first, second)
        key = (first, second, kind.pk)
        if key in self.ties:
            return
        started = FIRST_DAY + timedelta(days=self.rng.randrange(0, 3650))
        ended = started + timedelta(days=self.rng.randrange(200, 1200))
        self.ties[key] = ImportedTie(
            row=len(self.ties) + 1,
            source_id=source.pk,
            target_id=target.pk,
            type_id=kind.pk,
            strength=self.rng.choice(
                (Strength.WEAK, Strength.MODERATE, Strength.MODERATE, Strength.STRONG)
            ),
            started_on=started if self.rng.random() < 0.8 else None,
            ended_on=ended if self.rng.random() < 0.08 and ended < date(2026, 1, 1) else None,
            note="",
        )

    def some(self, items: list[Organisation], low: int, high: int) -> list[Organisation]:
        return self.rng.sample(items, k=min(len(items), self.rng.randint(low, high)))


def _near(by_province: dict[str, list[Organisation]], province: str) -> list[Organisation]:
    """Organisations in the province, or its neighbours when it has too few."""
    near = list(by_province.get(province, []))
    if len(near) < 4:
        for other in NEIGHBOURS.get(province, []):
            near.extend(by_province.get(other, []))
    return near


# (sector, type, fewest, most, whether the programs point to the organisation): each
# organisation of the sector is tied to that many programs near it.
SECTOR_TIES = [
    ("funder", "funds", 3, 7, False),
    ("community", "member-of", 2, 5, True),
    ("business", "sponsors", 1, 3, False),
    ("education", "partners", 1, 3, False),
    ("government", "partners", 1, 3, False),
    ("research", "partners", 1, 3, False),
]


def _programs(organisations: list[Organisation]) -> dict[str, list[Organisation]]:
    programs: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        if organisation.sector.code in PROGRAM_SECTORS:
            programs[organisation.head_office_province_id].append(organisation)
    return programs


def _draw(network: _Network, organisations: list[Organisation], backbone: Organisation) -> None:
    programs = _programs(organisations)
    for province_programs in programs.values():
        for program in province_programs:
            for other in network.some(province_programs, 1, 3):
                network.add(program, other, "refers")
            if network.rng.random() < 0.35:
                network.add(program, backbone, "member-of")
    for sector, code, low, high, inward in SECTOR_TIES:
        for hub in (o for o in organisations if o.sector.code == sector):
            for program in network.some(_near(programs, hub.head_office_province_id), low, high):
                network.add(*((program, hub) if inward else (hub, program)), code)


def _bridges(
    network: _Network, bridges: Iterable[Organisation], organisations: list[Organisation]
) -> None:
    """National organisations tied to a program in every province: the map's bridges."""
    by_province = _programs(organisations)
    for bridge in bridges:
        for province in sorted(by_province):
            network.add(bridge, network.rng.choice(by_province[province]), "partners")


def load(*, rng: random.Random, out: DemoOutput) -> None:
    types = {t.code: t for t in RelationshipType.objects.all()}
    everyone = list(
        Organisation.objects.filter(archived_at__isnull=True)
        .select_related("sector")
        .order_by("slug")
    )
    backbone = next(o for o in everyone if o.slug == BACKBONE_SLUG)
    others = [o for o in everyone if o.slug != BACKBONE_SLUG]
    isolated = {o.pk for o in rng.sample(others, k=min(ISOLATED_COUNT, len(others)))}
    connected = [o for o in others if o.pk not in isolated]
    bridges = rng.sample(
        [o for o in connected if o.sector.code in ("funder", "research")] or connected,
        k=BRIDGE_COUNT,
    )
    network = _Network(rng, types)
    _draw(network, [o for o in connected if o not in bridges], backbone)
    _bridges(network, bridges, connected)
    ties = list(network.ties.values())
    counts = relationship_import(actor=SYSTEM, creates=ties, updates=[], filename=DEMO_FILE)
    out.line(
        f"Relationships: {counts['created']} ties; {len(isolated)} organisations left "
        f"without any, {BRIDGE_COUNT} bridging the provinces."
    )


def is_loaded() -> bool:
    return Relationship.objects.exists()


def summary() -> list[str]:
    count = Relationship.objects.count()
    return [f"Relationships: {count} ties between the demo organisations."] if count else []
