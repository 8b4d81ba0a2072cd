"""Measurement's manifest: everything the app plugs into, in one place."""

from django.utils.translation import gettext_lazy as _

from collectif.agenda.plan_pages import PLAN_PAGES
from collectif.core.manifest import ApiMount, DemoLoader, Manifest, NavEntry, UrlMount
from collectif.ecosystem.organisation_page import ORGANISATION_PANELS
from collectif.measurement import demo
from collectif.measurement.access import ACCESS
from collectif.measurement.api.exports import router as exports_router
from collectif.measurement.api.imports import router as imports_router
from collectif.measurement.api.research import router as research_router
from collectif.measurement.api.results import router as results_router
from collectif.measurement.api.submissions import router as measurement_router
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.permissions import PERMISSIONS
from collectif.measurement.reference import load_dimensions
from collectif.measurement.views.figures import reporting_figures
from collectif.measurement.views.governance import governance_panel
from collectif.measurement.views.home import late_attention, review_attention, steward_panel
from collectif.measurement.views.organisation_panel import ORGANISATION_PANELS_PART
from collectif.measurement.views.setup import PLAN_PAGES_PART

manifest = Manifest(
    label="measurement",
    access=ACCESS,
    after=("core", "accounts", "ecosystem", "agenda"),
    nav=(
        NavEntry(
            group="measurement",
            label=_("Scorecard"),
            url_name="measurement:scorecard",
            perm="measurement.view_results",
            order=5,
        ),
        NavEntry(
            group="measurement",
            label=_("Report card"),
            url_name="measurement:report_card",
            perm="measurement.view_results",
            order=6,
        ),
        NavEntry(
            group="measurement",
            label=_("My data"),
            url_name="measurement:steward_home",
            perm="measurement.report_data",
            order=10,
        ),
        NavEntry(
            group="measurement",
            label=_("Review submissions"),
            url_name="measurement:review_queue",
            perm="measurement.review",
            order=20,
        ),
        NavEntry(
            group="measurement",
            label=_("Completeness"),
            url_name="measurement:completeness",
            perm="measurement.view_completeness",
            order=30,
        ),
        NavEntry(
            group="measurement",
            label=_("Export"),
            url_name="measurement:export",
            perm="measurement.export_figures",
            order=80,
        ),
        NavEntry(
            group="measurement",
            label=_("Setup"),
            url_name="measurement:setup_home",
            perm="measurement.manage",
            order=90,
        ),
    ),
    attention=(review_attention, late_attention),
    figures=(reporting_figures,),
    home_panels=(governance_panel, steward_panel),
    urls=(UrlMount("measurement/", "collectif.measurement.urls"),),
    api=(
        ApiMount("/measurement", measurement_router),
        ApiMount("/measurement/imports", imports_router),
        ApiMount("/measurement/exports", exports_router),
        ApiMount("/results", results_router),
        ApiMount("/research", research_router),
    ),
    permissions=PERMISSIONS,
    audit_actions=MeasurementAction,
    reference=load_dimensions,
    extensions={PLAN_PAGES: PLAN_PAGES_PART, ORGANISATION_PANELS: ORGANISATION_PANELS_PART},
    demo=DemoLoader(load=demo.load, is_loaded=demo.is_loaded, summary=demo.summary),
)
