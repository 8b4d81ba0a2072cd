"""The plan pages: backbone staff add and revise the versions of the strategic plan.

They sit among the measurement setup pages (the same addresses as always), but agenda
knows nothing of measurement: what it adds to them (the breadcrumb above, the targets
column, the indicators below) comes through `plan_pages`.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from collectif.agenda import selectors, services
from collectif.agenda.forms import PlanForm
from collectif.agenda.models import PlanVersion
from collectif.agenda.permissions import MANAGE
from collectif.agenda.plan_pages import Crumb, plan_pages_parts
from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required


def _parents() -> list[Crumb]:
    """The breadcrumbs above the plan pages, from the apps the pages sit among."""
    return [
        Crumb(label=part.parent_label, url=reverse(part.parent_url_name))
        for part in plan_pages_parts()
        if part.parent_label is not None and part.parent_url_name is not None
    ]


@login_required
@permission_required(MANAGE)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.plan_version_list())
    parts = plan_pages_parts()
    figures = [figure for part in parts for figure in part.figures]
    values = [figure.values(plans) for figure in figures]
    return render(
        request,
        "agenda/plan_list.html",
        {
            "plans": plans,
            "figure_labels": [figure.label for figure in figures],
            "rows": [(plan, [figure.get(plan.pk, 0) for figure in values]) for plan in plans],
            "sections": [section() for part in parts for section in part.sections],
            "parents": _parents(),
        },
    )


@login_required
@permission_required(MANAGE)
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[PlanForm, PlanVersion] = FormPage(
        template="agenda/plan_form.html",
        save=lambda form: services.plan_version_create(actor=actor, data=form.plan_data()),
        done=lambda plan: _("%(plan)s was added.") % {"plan": plan.name},
        next_url="agenda:plan_list",
        context={"plan": None, "parents": _parents()},
    )
    return page.handle(request, PlanForm(posted(request)))


@login_required
@permission_required(MANAGE)
def plan_edit(request: HttpRequest, number: int) -> HttpResponse:
    actor = request_actor(request)
    plan = selectors.plan_version_get(number=number)
    page: FormPage[PlanForm, PlanVersion] = FormPage(
        template="agenda/plan_form.html",
        save=lambda form: services.plan_version_update(
            actor=actor, plan=plan, data=form.plan_data()
        ),
        done=lambda saved: _("%(plan)s was saved.") % {"plan": saved.name},
        next_url="agenda:plan_list",
        # A refused change leaves `plan` changed in memory; the page shows the stored one.
        context={"plan": selectors.plan_version_get(number=number), "parents": _parents()},
    )
    return page.handle(request, PlanForm(posted(request), initial=PlanForm.initial_for(plan)))
