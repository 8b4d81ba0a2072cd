"""Core's manifest: the homes, the audit log, jobs, and the reference geography."""

from django.utils.translation import gettext_lazy as _

from collectif.core.access import ACCESS
from collectif.core.api import postal_router, router
from collectif.core.audit import CoreAction
from collectif.core.manifest import ApiMount, Manifest, NavEntry, UrlMount
from collectif.core.reference import load_provinces

manifest = Manifest(
    label="core",
    access=ACCESS,
    nav=(
        NavEntry(
            group="backbone",
            label=_("Staff home"),
            url_name="core:staff_home",
            perm="core.staff_home",
            order=10,
        ),
        NavEntry(
            group="backbone",
            label=_("Audit log"),
            url_name="core:audit_list",
            perm="core.view_audit",
            order=90,
        ),
    ),
    urls=(UrlMount("", "collectif.core.urls"),),
    api=(ApiMount("/provinces", router), ApiMount("/postal-codes", postal_router)),
    audit_actions=CoreAction,
    reference=load_provinces,
)
