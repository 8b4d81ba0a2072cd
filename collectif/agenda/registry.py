"""The common agenda's manifest: its permission, its audit vocabulary and its pages."""

from collectif.agenda import demo
from collectif.agenda.access import ACCESS
from collectif.agenda.audit import AgendaAction
from collectif.agenda.permissions import PERMISSIONS
from collectif.core.manifest import DemoLoader, Manifest, UrlMount

manifest = Manifest(
    label="agenda",
    access=ACCESS,
    after=("core", "accounts", "ecosystem"),
    # The plan pages keep the addresses they had among the measurement setup pages.
    urls=(UrlMount("measurement/setup/plans/", "collectif.agenda.urls"),),
    permissions=PERMISSIONS,
    audit_actions=AgendaAction,
    demo=DemoLoader(load=demo.load, is_loaded=demo.is_loaded),
)
