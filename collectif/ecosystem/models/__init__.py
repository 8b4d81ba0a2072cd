"""The ecosystem: organisations, the people at them, how the movement engages them, and
the relationships between them.

The models live in one module per topic (organisations, reach, contacts, engagement,
gaps, relationships, network); every one is importable from here, as
`from collectif.ecosystem.models import Organisation`.
"""

from collectif.ecosystem.models.contacts import (
    Consent,
    ConsentBasis,
    ConsentKind,
    Contact,
    Language,
)
from collectif.ecosystem.models.engagement import (
    STAGE_RANK,
    Channel,
    Engagement,
    EngagementEvent,
    Stage,
)
from collectif.ecosystem.models.gaps import GapAxis, GapTarget
from collectif.ecosystem.models.network import NetworkAnalysis, NodeMetric, Scope
from collectif.ecosystem.models.organisations import Organisation, Sector, SizeBand
from collectif.ecosystem.models.reach import EquityIdentity, PopulationGroup
from collectif.ecosystem.models.relationships import Relationship, RelationshipType, Strength

__all__ = [
    "STAGE_RANK",
    "Channel",
    "Consent",
    "ConsentBasis",
    "ConsentKind",
    "Contact",
    "Engagement",
    "EngagementEvent",
    "EquityIdentity",
    "GapAxis",
    "GapTarget",
    "Language",
    "NetworkAnalysis",
    "NodeMetric",
    "Organisation",
    "PopulationGroup",
    "Relationship",
    "RelationshipType",
    "Scope",
    "Sector",
    "SizeBand",
    "Stage",
    "Strength",
]
