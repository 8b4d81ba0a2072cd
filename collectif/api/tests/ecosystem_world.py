"""The ecosystem map's part of the permission matrix's world: a tie and its stored
analysis, a contact with consent, a pipeline with an overdue step and a gap target, so
that every ecosystem page the matrix and the axe test open has something to show."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from collectif.core.actors import SYSTEM
from collectif.ecosystem.domain.network import analyse
from collectif.ecosystem.models import Engagement, EngagementEvent, GapTarget
from collectif.ecosystem.selectors import network as network_selectors
from collectif.ecosystem.services.network import network_analysis_save
from collectif.ecosystem.tests.factories import (
    ConsentFactory,
    ContactFactory,
    RelationshipFactory,
)


def _network_analysis(organisation: Any, other: Any) -> str:
    """A tie between the two public organisations and the analyses that include it;
    returns the tie's id (for the relationship pages and API)."""
    tie = RelationshipFactory.create(source=organisation, target=other)
    version = network_selectors.relationships_version()
    for scope in (network_selectors.SCOPE_ALL, network_selectors.SCOPE_PUBLIC):
        nodes, edges = network_selectors.network_rows(
            public_only=scope == network_selectors.SCOPE_PUBLIC
        )
        network_analysis_save(
            actor=SYSTEM, job=None, scope=scope, version=version, analysis=analyse(nodes, edges)
        )
    return str(tie.pk)


def _contact(organisation: Any) -> str:
    """A contact with express consent still standing, for the contact pages and API."""
    contact = ContactFactory.create(organisation=organisation, name="Matrix Contact")
    ConsentFactory.create(contact=contact)
    return str(contact.pk)


def _pipeline(organisation: Any, owner: Any) -> None:
    """The served organisation approached, with a step and a next step already overdue
    (so the board, its stage list and the history are full)."""
    today = timezone.localdate()
    Engagement.objects.create(
        organisation=organisation,
        stage="approached",
        stage_since=today - timedelta(days=20),
        owner=owner,
        next_step="Call back",
        next_step_due=today - timedelta(days=2),
    )
    EngagementEvent.objects.create(
        organisation=organisation,
        from_stage="identified",
        to_stage="approached",
        happened_on=today - timedelta(days=20),
        channel="email",
        note="First e-mail.",
    )


def ecosystem_world(
    organisation: Any, other: Any, staff: Any
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The URL arguments and the request bodies of the ecosystem map's routes."""
    _pipeline(organisation, staff)
    gap_target = GapTarget.objects.create(axis="province", minimum_stage="engaged")
    values = {
        "relationship_id": _network_analysis(organisation, other),
        "contact_id": _contact(organisation),
        "type_code": "partners",
        "stage": "approached",
        "gap_target_id": str(gap_target.pk),
        "gap_axis": "province",
        "gap_sector": "non-profit",
        "gap_column": "ON",
    }
    today = timezone.localdate().isoformat()
    bodies: dict[str, dict[str, Any]] = {
        "ContactIn": {"organisation": organisation.slug, "name": "Matrix Person"},
        "ContactPatch": {"phone": "613-555-0100"},
        "ConsentIn": {
            "kind": "express",
            "basis": "express_request",
            "given_on": "2026-01-05",
            "source": "the matrix form",
        },
        "WithdrawalIn": {"withdrawn_on": today, "source": "e-mail"},
        "RelationshipIn": {"source": other.slug, "target": organisation.slug, "type": "funds"},
        "RelationshipPatch": {"strength": 3},
        "EngagementEventIn": {
            "organisation": organisation.slug,
            "to_stage": "in_conversation",
            "happened_on": today,
            "channel": "meeting",
        },
    }
    return values, bodies
