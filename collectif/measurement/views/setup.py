"""Measurement setup: where backbone staff define what the movement measures.

Each topic has its pages (indicators, periods, datasets, dimensions, rules, targets),
written through the audited services, never the Django admin, which stays a technical
fallback. This module is the setup home, and says what measurement adds to agenda's
plan pages, which sit among these (the manifest declares it).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from collectif.agenda.plan_pages import PlanFigure, PlanPagesPart
from collectif.core.permissions import permission_required
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors.setup import setup_counts
from collectif.measurement.selectors.targets import target_counts
from collectif.measurement.views.targets import indicators_to_plan


@login_required
@permission_required(MANAGE)
def setup_home(request: HttpRequest) -> HttpResponse:
    return render(request, "measurement/setup_home.html", {"counts": setup_counts()})


PLAN_PAGES_PART = PlanPagesPart(
    parent_label=gettext_lazy("Measurement setup"),
    parent_url_name="measurement:setup_home",
    figures=(PlanFigure(label=gettext_lazy("Targets"), values=target_counts),),
    sections=(indicators_to_plan,),
)
