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
from collectif.ecosystem import demo, demo_people
from collectif.ecosystem.access import ACCESS
from collectif.ecosystem.api.organisations import router, sector_router
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.permissions import PERMISSIONS
from collectif.ecosystem.reference import load_reference
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


def _demo_summary() -> list[str]:
    return demo.summary() + demo_people.summary()


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
    ),
    attention=(attention,),
    figures=(figures,),
    urls=(UrlMount("ecosystem/", "collectif.ecosystem.urls"),),
    api=(ApiMount("/organisations", router), ApiMount("/sectors", sector_router)),
    permissions=PERMISSIONS,
    audit_actions=EcosystemAction,
    reference=load_reference,
    demo=DemoLoader(load=_demo_load, is_loaded=demo.is_loaded, summary=_demo_summary),
)
