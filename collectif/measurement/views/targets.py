"""The baseline and targets page of an indicator, and its list on the plan pages."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from collectif.agenda.models import PlanVersion
from collectif.agenda.selectors import plan_version_list
from collectif.core.actors import request_actor
from collectif.core.formatting import format_number
from collectif.core.forms import FormPage, posted
from collectif.core.manifest import HomePanel
from collectif.core.permissions import permission_required
from collectif.measurement.forms.targets import PlanTargetsForm
from collectif.measurement.models import Indicator, Period
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors.indicators import indicator_for_setup, indicator_list
from collectif.measurement.selectors.periods import yearly_periods
from collectif.measurement.selectors.targets import indicator_baseline, indicator_targets
from collectif.measurement.services.targets import indicator_plan_set


def _editable(value: Decimal) -> str:
    """A stored number as the person would type it, every significant decimal kept so
    saving the form unchanged never rounds it."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, decimals)


def _plan_initial(
    indicator: Indicator, plans: list[PlanVersion], periods: list[Period]
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    baseline = indicator_baseline(indicator=indicator)
    if baseline is not None:
        initial.update(
            baseline_period=baseline.period.code,
            baseline_value=_editable(baseline.value),
            baseline_source_en=getattr(baseline, "source_en", "") or "",
            baseline_source_fr=getattr(baseline, "source_fr", "") or "",
        )
    targets = indicator_targets(indicator=indicator)
    for plan in plans:
        for period in periods:
            target = targets.get((plan.pk, period.pk))
            if target is not None:
                initial[PlanTargetsForm.target_name(plan, period)] = _editable(target.value)
    return initial


def _save(request: HttpRequest, indicator: Indicator, form: PlanTargetsForm) -> Indicator:
    indicator_plan_set(
        actor=request_actor(request),
        indicator=indicator,
        baseline_period=form.cleaned_data["baseline_period"],
        baseline_value=form.cleaned_data["baseline_value"],
        baseline_source_en=form.cleaned_data["baseline_source_en"],
        baseline_source_fr=form.cleaned_data["baseline_source_fr"],
        targets=form.targets(),
    )
    return indicator


@login_required
@permission_required(MANAGE)
def indicator_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The Canada baseline and the yearly targets of every plan version, in one form."""
    indicator = indicator_for_setup(code=code)
    plans = list(plan_version_list())
    periods = list(yearly_periods())
    form = PlanTargetsForm(
        posted(request),
        plans=plans,
        periods=periods,
        initial=_plan_initial(indicator, plans, periods),
    )
    page: FormPage[PlanTargetsForm, Indicator] = FormPage(
        template="measurement/setup_indicator_plan.html",
        save=lambda valid: _save(request, indicator, valid),
        done=lambda saved: (
            _("The baseline and targets of %(name)s were saved.") % {"name": saved.name}
        ),
        next_url=lambda saved: reverse(
            "measurement:setup_indicator_plan", kwargs={"code": saved.code}
        ),
        context={"indicator": indicator, "plans": plans, "periods": periods},
    )
    return page.handle(request, form)


def indicators_to_plan() -> HomePanel:
    """The plan pages' list of indicators, each leading to its baseline and targets."""
    return HomePanel(
        template="measurement/setup_plan_indicators.html",
        context={"indicators": indicator_list()},
    )
