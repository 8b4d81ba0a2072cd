"""Measurement setup: where backbone staff define what the movement measures.

Indicators, periods, datasets, dimensions, validation rules, plan versions, baselines
and targets, each written through the audited services (never the Django admin, which
stays as a technical fallback). Every page is for backbone staff only.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from collectif.core.formatting import format_number
from collectif.measurement.forms.setup import (
    AssignmentForm,
    DatasetForm,
    IndicatorForm,
    IndicatorSearchForm,
    MemberForm,
    OrganisationSearchForm,
    PeriodCreateForm,
    PeriodWindowForm,
    PlanForm,
    PlanTargetsForm,
    RuleForm,
    SectorAssignForm,
    apply_errors,
)
from collectif.measurement.models import CANADA, Baseline, Indicator
from collectif.measurement.selectors import setup as selectors
from collectif.measurement.services import setup as services_setup

MANAGE = "measurement.manage"
PAGE_SIZE = 50


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a setup page; a form with errors answers 422 so the failure is visible
    to machines too, while the person sees the error summary and their input."""
    form = context.get("form")
    invalid = form is not None and form.is_bound and bool(form.errors)
    return render(request, f"measurement/{template}", context, status=422 if invalid else 200)


@login_required
@permission_required(MANAGE, raise_exception=True)
def setup_home(request: HttpRequest) -> HttpResponse:
    return render(request, "measurement/setup_home.html", {"counts": selectors.setup_counts()})


# Indicators


@login_required
@permission_required(MANAGE, raise_exception=True)
def indicator_list(request: HttpRequest) -> HttpResponse:
    form = IndicatorSearchForm(request.GET)
    query = published = ""
    if form.is_valid():
        query, published = form.cleaned_data["q"], form.cleaned_data["published"]
    page = Paginator(
        selectors.indicator_search(query=query, published=published), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/setup_indicators.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(query or published),
            "total": selectors.setup_counts().indicators,
        },
    )


def _indicator_fields(form: IndicatorForm) -> tuple[list[Any], dict[str, Any]]:
    fields = dict(form.cleaned_data)
    dimensions = list(fields.pop("dimensions"))
    fields.pop("code", None)
    return dimensions, fields


@login_required
@permission_required(MANAGE, raise_exception=True)
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(_posted(request))
    if form.is_bound and form.is_valid():
        dimensions, fields = _indicator_fields(form)
        try:
            indicator = services_setup.indicator_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                dimensions=dimensions,
                **fields,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The indicator %(name)s was added.") % {"name": indicator.name}
            )
            return redirect("measurement:setup_indicators")
    return _page(request, "setup_indicator_form.html", {"form": form, "indicator": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator = selectors.indicator_for_setup(code=code)
    form = IndicatorForm(_posted(request), instance=indicator)
    if form.is_bound and form.is_valid():
        dimensions, fields = _indicator_fields(form)
        try:
            services_setup.indicator_update(
                actor=request.user, indicator=form.instance, dimensions=dimensions, **fields
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The indicator %(name)s was saved.") % {"name": form.instance.name}
            )
            return redirect("measurement:setup_indicators")
    return _page(
        request,
        "setup_indicator_form.html",
        {"form": form, "indicator": selectors.indicator_for_setup(code=code)},
    )


def _editable(value: Decimal) -> str:
    """A stored number as the person would type it, every significant decimal kept so
    saving the form unchanged never rounds it."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, decimals)


def _plan_initial(
    indicator: Indicator, form_plans: list[Any], periods: list[Any]
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    baseline = Baseline.objects.filter(indicator=indicator, region=CANADA).first()
    if baseline is not None:
        initial.update(
            baseline_period=baseline.period.code,
            baseline_value=_editable(baseline.value),
            baseline_source_en=getattr(baseline, "source_en", "") or "",
            baseline_source_fr=getattr(baseline, "source_fr", "") or "",
        )
    targets = selectors.indicator_targets(indicator=indicator)
    for plan in form_plans:
        for period in periods:
            target = targets.get((plan.pk, period.pk))
            if target is not None:
                initial[PlanTargetsForm.target_name(plan, period)] = _editable(target.value)
    return initial


@login_required
@permission_required(MANAGE, raise_exception=True)
def indicator_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The Canada baseline and the yearly targets of every plan version, in one form."""
    indicator = selectors.indicator_for_setup(code=code)
    plans = list(selectors.plans_for_setup())
    periods = list(selectors.yearly_periods())
    form = PlanTargetsForm(
        _posted(request),
        plans=plans,
        periods=periods,
        initial=_plan_initial(indicator, plans, periods),
    )
    if form.is_bound and form.is_valid():
        try:
            services_setup.indicator_plan_set(
                actor=request.user,
                indicator=indicator,
                baseline_period=form.cleaned_data["baseline_period"],
                baseline_value=form.cleaned_data["baseline_value"],
                baseline_source_en=form.cleaned_data["baseline_source_en"],
                baseline_source_fr=form.cleaned_data["baseline_source_fr"],
                targets=form.targets(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The baseline and targets of %(name)s were saved.") % {"name": indicator.name},
            )
            return redirect("measurement:setup_indicator_plan", code=indicator.code)
    return _page(
        request,
        "setup_indicator_plan.html",
        {"form": form, "indicator": indicator, "plans": plans, "periods": periods},
    )


# Periods


@login_required
@permission_required(MANAGE, raise_exception=True)
def period_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.periods_for_setup(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measurement/setup_periods.html", {"page": page})


@login_required
@permission_required(MANAGE, raise_exception=True)
def period_create(request: HttpRequest) -> HttpResponse:
    form = PeriodCreateForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            period = services_setup.period_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, fallback="code")
        else:
            messages.success(
                request,
                _("The period %(code)s (%(label)s) was added.")
                % {"code": period.code, "label": period.label},
            )
            return redirect("measurement:setup_periods")
    return _page(request, "setup_period_form.html", {"form": form, "period": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def period_edit(request: HttpRequest, code: str) -> HttpResponse:
    period = selectors.period_for_setup(code=code)
    form = PeriodWindowForm(
        _posted(request), initial={"opens_on": period.opens_on, "deadline": period.deadline}
    )
    if form.is_bound and form.is_valid():
        try:
            services_setup.period_update(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, fallback="deadline")
        else:
            messages.success(
                request, _("The window of %(label)s was saved.") % {"label": period.label}
            )
            return redirect("measurement:setup_periods")
    return _page(request, "setup_period_form.html", {"form": form, "period": period})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def period_next_quarters(request: HttpRequest) -> HttpResponse:
    created = services_setup.period_create_next_quarters(actor=request.user)
    if created:
        messages.success(
            request,
            _("Periods added: %(codes)s.") % {"codes": ", ".join(p.code for p in created)},
        )
    else:
        messages.info(request, _("The next four quarters exist already: nothing was added."))
    return redirect("measurement:setup_periods")


# Datasets


@login_required
@permission_required(MANAGE, raise_exception=True)
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "measurement/setup_datasets.html", {"datasets": selectors.datasets_for_setup()}
    )


def _dataset_form(request: HttpRequest, dataset: Any = None) -> DatasetForm:
    items = {item.indicator_id: item for item in dataset.items.all()} if dataset else {}
    return DatasetForm(
        _posted(request),
        instance=dataset,
        indicators=list(selectors.reportable_indicators()),
        items=items,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def dataset_create(request: HttpRequest) -> HttpResponse:
    form = _dataset_form(request)
    if form.is_bound and form.is_valid():
        items = form.items()
        fields = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
        fields.pop("code")
        try:
            dataset = services_setup.dataset_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                indicators=[indicator for indicator, _required in items],
                optional=[indicator for indicator, required in items if not required],
                **fields,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The dataset %(name)s was added. Now choose the organisations that report it.")
                % {"name": dataset.name},
            )
            return redirect("measurement:setup_dataset_organisations", code=dataset.code)
    return _page(request, "setup_dataset_form.html", {"form": form, "dataset": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def dataset_edit(request: HttpRequest, code: str) -> HttpResponse:
    form = _dataset_form(request, selectors.dataset_for_setup(code=code))
    if form.is_bound and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
        try:
            services_setup.dataset_update(
                actor=request.user, dataset=form.instance, items=form.items(), **fields
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The dataset %(name)s was saved.") % {"name": form.instance.name}
            )
            return redirect("measurement:setup_datasets")
    return _page(
        request,
        "setup_dataset_form.html",
        {"form": form, "dataset": selectors.dataset_for_setup(code=code)},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def dataset_organisations(request: HttpRequest, code: str) -> HttpResponse:
    """Choose who reports a dataset: tick organisations found by a search, or every
    organisation of a sector at once."""
    dataset = selectors.dataset_for_setup(code=code)
    search = OrganisationSearchForm(request.GET, auto_id="search_%s")
    query, sector = "", None
    if search.is_valid():
        query, sector = search.cleaned_data["q"], search.cleaned_data["sector"]
    sector_form = SectorAssignForm(request.POST if "sector" in request.POST else None)
    if request.method == "POST":
        if sector_form.is_bound:
            if sector_form.is_valid():
                chosen = sector_form.cleaned_data["sector"]
                added, _removed = services_setup.dataset_assignment_change(
                    actor=request.user,
                    dataset=dataset,
                    assign=selectors.organisations_for_assignment(sector=chosen),
                    unassign=[],
                )
                messages.success(
                    request,
                    _("%(count)s organisations of the sector %(sector)s were added.")
                    % {"count": added, "sector": chosen.name},
                )
                return redirect(request.get_full_path())
        else:
            form = AssignmentForm(request.POST)
            if form.is_valid():
                ticked = set(form.cleaned_data["organisations"])
                added, removed = services_setup.dataset_assignment_change(
                    actor=request.user,
                    dataset=dataset,
                    assign=ticked,
                    unassign=set(form.cleaned_data["shown"]) - ticked,
                )
                messages.success(
                    request,
                    _("Saved: %(added)s organisations added, %(removed)s removed.")
                    % {"added": added, "removed": removed},
                )
                return redirect(request.get_full_path())
            messages.error(request, _("Some organisations could not be found. Try again."))
    page = Paginator(
        selectors.organisations_for_assignment(query=query, sector=sector), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/setup_dataset_organisations.html",
        {
            "dataset": dataset,
            "search": search,
            "sector_form": sector_form,
            "form": sector_form,
            "page": page,
            "assigned": set(dataset.organisations.values_list("pk", flat=True)),
            "assigned_count": dataset.organisations.count(),
            "filtered": bool(query or sector),
        },
        status=422 if sector_form.is_bound and sector_form.errors else 200,
    )


# Dimensions


@login_required
@permission_required(MANAGE, raise_exception=True)
def dimension_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measurement/setup_dimensions.html",
        {"dimensions": selectors.dimensions_with_members()},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    dimension = selectors.dimension_for_setup(code=code)
    form = MemberForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            member = services_setup.dimension_member_add(
                actor=request.user, dimension=dimension, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(member)s was added to %(dimension)s.")
                % {"member": member.name, "dimension": dimension.name},
            )
            return redirect("measurement:setup_dimensions")
    return _page(
        request, "setup_member_form.html", {"form": form, "dimension": dimension, "member": None}
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def member_rename(request: HttpRequest, code: str, member: str) -> HttpResponse:
    found = selectors.member_for_setup(dimension=code, code=member)
    form = MemberForm(
        _posted(request),
        renaming=True,
        initial={field: getattr(found, field, "") for field in ("name_en", "name_fr")},
    )
    if form.is_bound and form.is_valid():
        try:
            services_setup.dimension_member_rename(
                actor=request.user, member=found, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The member was renamed."))
            return redirect("measurement:setup_dimensions")
    return _page(
        request,
        "setup_member_form.html",
        {"form": form, "dimension": found.dimension, "member": found},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def member_delete(request: HttpRequest, code: str, member: str) -> HttpResponse:
    """Confirm, then delete a member nobody has reported against."""
    found = selectors.member_for_setup(dimension=code, code=member)
    in_use = found.dimension.is_province or selectors.member_in_use(found)
    if request.method == "POST" and not in_use:
        services_setup.dimension_member_delete(actor=request.user, member=found)
        messages.success(request, _("%(member)s was deleted.") % {"member": found.name})
        return redirect("measurement:setup_dimensions")
    return render(
        request,
        "measurement/setup_member_delete.html",
        {"member": found, "in_use": in_use},
        status=409 if request.method == "POST" else 200,
    )


# Validation rules


@login_required
@permission_required(MANAGE, raise_exception=True)
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "measurement/setup_rules.html", {"rules": selectors.rules_for_setup()})


def _rule_fields(form: RuleForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "code"}


@login_required
@permission_required(MANAGE, raise_exception=True)
def rule_create(request: HttpRequest) -> HttpResponse:
    form = RuleForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            services_setup.validation_rule_create(
                actor=request.user, code=form.cleaned_data["code"], **_rule_fields(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The validation rule was added."))
            return redirect("measurement:setup_rules")
    return _page(request, "setup_rule_form.html", {"form": form, "rule": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    form = RuleForm(_posted(request), instance=selectors.rule_for_setup(code=code))
    if form.is_bound and form.is_valid():
        try:
            services_setup.validation_rule_update(
                actor=request.user, rule=form.instance, **_rule_fields(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The validation rule was saved."))
            return redirect("measurement:setup_rules")
    return _page(
        request, "setup_rule_form.html", {"form": form, "rule": selectors.rule_for_setup(code=code)}
    )


# Plan versions


@login_required
@permission_required(MANAGE, raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measurement/setup_plans.html",
        {"plans": selectors.plans_for_setup(), "indicators": selectors.indicator_search()},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(_posted(request))
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        data["notes"] = data.pop("notes_en")
        try:
            plan = services_setup.plan_version_create(actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(plan)s was added.") % {"plan": plan.name})
            return redirect("measurement:setup_plans")
    return _page(request, "setup_plan_form.html", {"form": form, "plan": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def plan_edit(request: HttpRequest, number: int) -> HttpResponse:
    plan = selectors.plan_for_setup(number=number)
    form = PlanForm(_posted(request), initial=PlanForm.initial_for(plan))
    if form.is_bound and form.is_valid():
        try:
            services_setup.plan_version_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(plan)s was saved.") % {"plan": plan.name})
            return redirect("measurement:setup_plans")
    return _page(
        request,
        "setup_plan_form.html",
        {"form": form, "plan": selectors.plan_for_setup(number=number)},
    )
