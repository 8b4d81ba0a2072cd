"""Ecosystem's manifest, and what it shows on the staff home and the public home."""

import random
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from collectif.core.formatting import format_number
from collectif.core.manifest import (
    ApiMount,
    AttentionItem,
    DemoLoader,
    DemoOutput,
    Figure,
    Manifest,
    NavEntry,
    UrlMount,
)
from collectif.ecosystem import (
    demo,
    demo_contacts,
    demo_network,
    demo_people,
    demo_pipeline,
    demo_relationships,
)
from collectif.ecosystem.access import ACCESS
from collectif.ecosystem.api.contacts import router as contacts_router
from collectif.ecosystem.api.engagement import router as engagement_router
from collectif.ecosystem.api.gaps import router as gaps_router
from collectif.ecosystem.api.network import router as network_router
from collectif.ecosystem.api.organisations import reach_router, router, sector_router
from collectif.ecosystem.api.relationships import router as relationships_router
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.permissions import PERMISSIONS
from collectif.ecosystem.reference import load_reference
from collectif.ecosystem.selectors import engagement as engagement_selectors
from collectif.ecosystem.selectors import network as network_selectors
from collectif.ecosystem.selectors import organisations as selectors


def attention(user: Any) -> list[AttentionItem]:
    """Program organisations nobody reports for: their results are missing from the whole."""
    return [
        AttentionItem(
            label=_("Program organisations with no data steward"),
            count=selectors.organisation_without_steward_count(user=user),
            url=reverse("ecosystem:organisation_list") + "?steward=none",
        )
    ]


def pipeline_attention(user: Any) -> list[AttentionItem]:
    """Next steps whose date has passed: a partner waiting on the movement, or forgotten."""
    if not user.has_perm("ecosystem.view_pipeline"):
        return []
    return [
        AttentionItem(
            label=_("Overdue next steps in the pipeline"),
            count=engagement_selectors.overdue_next_step_count(),
            url=reverse("ecosystem:pipeline_board") + "?overdue=1",
        )
    ]


def network_attention(user: Any) -> list[AttentionItem]:
    """Relationships changed since the map's metrics were computed, and no computation is
    on its way (the worker stopped, or it failed): staff can compute them again."""
    if not user.has_perm("ecosystem.compute_network"):
        return []
    fresh = network_selectors.analysis_freshness(scope=network_selectors.SCOPE_ALL)
    return [
        AttentionItem(
            label=_("Relationship changes the network map does not show yet"),
            count=0 if fresh.pending is not None else fresh.changes,
            url=reverse("ecosystem:network_map"),
        )
    ]


def figures() -> list[Figure]:
    counts = selectors.organisation_figures()
    if not counts["organisations"]:
        return []
    return [
        Figure(
            value=format_number(counts["organisations"]),
            # The public list's organisations: private and archived ones are not counted.
            label=ngettext(
                "active partner organisation",
                "active partner organisations",
                counts["organisations"],
            ),
        ),
        Figure(
            value=format_number(counts["provinces"]),
            label=ngettext(
                "province or territory reached",
                "provinces and territories reached",
                counts["provinces"],
            ),
        ),
    ]


def _demo_load(*, rng: random.Random, out: DemoOutput) -> None:
    """Organisations first, then the people who act for them."""
    demo.load(rng=rng, out=out)
    demo_people.load(rng=rng, out=out)
    demo_contacts.load(rng=rng, out=out)
    demo_pipeline.load(rng=rng, out=out)
    demo_relationships.load(rng=rng, out=out)
    demo_network.load(rng=rng, out=out)


def _demo_summary() -> list[str]:
    return (
        demo.summary()
        + demo_people.summary()
        + demo_contacts.summary()
        + demo_pipeline.summary()
        + demo_relationships.summary()
        + demo_network.summary()
    )


manifest = Manifest(
    label="ecosystem",
    access=ACCESS,
    after=("core", "accounts"),
    nav=(
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Organisations"),
            url_name="ecosystem:organisation_list",
            perm="ecosystem.list_organisations",
            order=10,
        ),
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Pipeline"),
            url_name="ecosystem:pipeline_board",
            perm="ecosystem.view_pipeline",
            order=20,
        ),
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Contacts"),
            url_name="ecosystem:contact_list",
            perm="ecosystem.view_contacts",
            order=15,
        ),
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Gaps"),
            url_name="ecosystem:gap_matrix",
            perm="ecosystem.view_gaps",
            order=30,
        ),
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Relationships"),
            url_name="ecosystem:relationship_list",
            perm="ecosystem.view_relationships",
            order=40,
        ),
        NavEntry(
            group="ecosystem",
            label=gettext_lazy("Network map"),
            url_name="ecosystem:network_map",
            perm="ecosystem.view_relationships",
            order=45,
        ),
    ),
    attention=(attention, pipeline_attention, network_attention),
    figures=(figures,),
    urls=(UrlMount("ecosystem/", "collectif.ecosystem.urls"),),
    api=(
        ApiMount("/organisations", router),
        ApiMount("/sectors", sector_router),
        ApiMount("/contacts", contacts_router),
        ApiMount("/reach", reach_router),
        ApiMount("/engagement", engagement_router),
        ApiMount("/gaps", gaps_router),
        ApiMount("/relationships", relationships_router),
        ApiMount("/network", network_router),
    ),
    permissions=PERMISSIONS,
    audit_actions=EcosystemAction,
    reference=load_reference,
    demo=DemoLoader(load=_demo_load, is_loaded=demo.is_loaded, summary=_demo_summary),
)
