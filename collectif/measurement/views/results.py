"""Results pages: the scorecard, an indicator's page, a partner's contribution, data
completeness, the public report card and the exports.

Reads come from `selectors.results`, writes from `services.results`; a view only
chooses what to show to whom. Backbone staff (who may manage measurement) see every
indicator and every figure; members and the public see published indicators with
small cells hidden, exactly as the API and the report card's CSV do.
"""

import csv
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.core.actors import request_actor
from collectif.core.formatting import csv_delimiter, csv_number
from collectif.core.forms import FormPage, posted
from collectif.core.models import Job
from collectif.core.permissions import permission_required
from collectif.core.spreadsheets import neutralise
from collectif.measurement import charts
from collectif.measurement.domain.disclosure import (
    suppress_count_below,
    suppress_organisations_below,
)
from collectif.measurement.domain.results import ScorecardRow, rounded
from collectif.measurement.files import exports
from collectif.measurement.forms.results import CompletenessFilterForm, StoryForm
from collectif.measurement.models import Dataset, Indicator, Period
from collectif.measurement.selectors import completeness as states
from collectif.measurement.selectors import results
from collectif.measurement.services import exports as export_services
from collectif.measurement.services import results as services

# Where the researchers' API operation is mounted (api/research.py, under /api/v1/).
RESEARCH_API = "/api/v1/research/figures"


def _language() -> str:
    return (get_language() or "en")[:2]


def _sees_everything(request: HttpRequest) -> bool:
    """Unpublished indicators and unsuppressed figures are for those who manage them."""
    return request.user.has_perm("measurement.manage")


def _with_sparklines(rows: list[ScorecardRow]) -> list[dict[str, Any]]:
    """Each row with its sparkline and its figures written with their unit (62.4%, 12.3 per
    100), so that a reader never has to guess what a number counts."""
    return [
        {
            "row": row,
            "sparkline": charts.sparkline(row.indicator, row.series),
            "unit": charts.unit_name(row.indicator),
            "polarity": charts.polarity_cue(row.indicator),
            "higher": row.indicator.polarity == Indicator.Polarity.HIGHER,
            "latest": charts.with_unit(row.latest.value if row.latest else None, row.indicator),
            "soon": charts.with_unit(
                row.provisional.value if row.provisional else None, row.indicator
            ),
            "baseline": charts.with_unit(
                row.baseline.value if row.baseline else None, row.indicator
            ),
            "target": charts.with_unit(row.target.value if row.target else None, row.indicator),
            "change": charts.with_unit(row.change, row.indicator, signed=True),
        }
        for row in rows
    ]


@login_required
@permission_required("measurement.view_results")
def scorecard(request: HttpRequest) -> HttpResponse:
    """Members see published indicators with public suppression; staff see everything."""
    staff = _sees_everything(request)
    rows = results.scorecard(published_only=not staff, suppress=not staff)
    return render(
        request,
        "measurement/scorecard.html",
        {"rows": _with_sparklines(rows), "staff": staff},
    )


def _indicator_or_404(code: str, *, staff: bool) -> Indicator:
    indicator = results.indicator_get(code=code, published_only=not staff)
    if indicator is None:
        raise Http404
    return indicator


def _breakdowns(indicator: Indicator, period: Period, *, suppress: bool) -> dict[str, Any]:
    """The province and dimension breakdowns of one period: tables and their charts."""
    labels = {"indicator": indicator.name, "period": period.label}
    provinces = results.breakdown_by_province(indicator, period, suppress=suppress)
    dimensions = []
    for dimension in results.indicator_breakdowns(indicator):
        items = results.breakdown_by_dimension(indicator, period, dimension, suppress=suppress)
        title = _("%(indicator)s by %(dimension)s, %(period)s") % {
            **labels,
            "dimension": dimension.name.lower(),
        }
        dimensions.append(
            {
                "dimension": dimension,
                "items": items,
                "chart": charts.bars(
                    f"dim-{dimension.code}",
                    indicator,
                    items=[(m.name, f) for m, f in items],
                    title=title,
                ),
            }
        )
    return {
        "provinces": provinces,
        "tile_map": charts.tile_map(
            indicator,
            [(p.code, f) for p, f in provinces],
            _("%(indicator)s by province and territory, %(period)s") % labels,
        ),
        "province_bars": charts.bars(
            "provinces",
            indicator,
            items=[(p.name, f) for p, f in provinces],
            title=_("%(indicator)s by province and territory, %(period)s, as bars") % labels,
        ),
        "dimensions": dimensions,
    }


@login_required
@permission_required("measurement.view_results")
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    staff = _sees_everything(request)
    indicator = _indicator_or_404(code, staff=staff)
    row, targets = results.indicator_overview(indicator, suppress=not staff)
    periods = [f.period for f in row.series]
    period = next((p for p in periods if p.code == request.GET.get("period")), None)
    if period is None and row.latest is not None:
        period = row.latest.period
    context: dict[str, Any] = {
        "indicator": indicator,
        "row": row,
        "figures": _with_sparklines([row])[0],
        "targets": targets,
        "periods": list(reversed(periods)),
        "period": period,
        "staff": staff,
        "curve": charts.turn_the_curve(
            indicator,
            row.series,
            baseline=row.baseline,
            current=targets.current_all,
            original=targets.original_all,
        ),
        "provinces": [],
        "dimensions": [],
    }
    if period is not None:
        context.update(_breakdowns(indicator, period, suppress=not staff))
    return render(request, "measurement/indicator_detail.html", context)


@login_required
@permission_required("measurement.manage")
def indicator_story(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code, staff=True)
    actor = request_actor(request)
    form = StoryForm(
        posted(request),
        initial={
            "story_en": getattr(indicator, "story_en", "") or "",
            "story_fr": getattr(indicator, "story_fr", "") or "",
        },
    )
    page: FormPage[StoryForm, Indicator] = FormPage(
        template="measurement/indicator_story.html",
        save=lambda valid: services.indicator_story_update(
            actor=actor,
            indicator=indicator,
            story_en=valid.cleaned_data["story_en"],
            story_fr=valid.cleaned_data["story_fr"],
        ),
        done=lambda _saved: _("The story behind the curve was saved."),
        next_url=lambda saved: saved.get_absolute_url(),
        context={"indicator": indicator},
    )
    return page.handle(request, form)


@login_required
def partner_results(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = results.partner_get(slug=slug)
    if organisation is None:
        raise Http404
    if not request.user.has_perm("measurement.view_partner_results", organisation):
        raise PermissionDenied
    contributions = results.partner_contribution(
        organisation, suppress=not _sees_everything(request)
    )
    page = Paginator(contributions, 50).get_page(request.GET.get("page"))
    figures = [
        {
            "item": item,
            "value": charts.with_unit(item.value, item.indicator),
            "movement": charts.with_unit(item.movement, item.indicator),
        }
        for item in page.object_list
    ]
    return render(
        request,
        "measurement/partner_results.html",
        {"organisation": organisation, "page": page, "figures": figures},
    )


def _completeness_filters(
    request: HttpRequest,
) -> tuple[CompletenessFilterForm, Period | None, Dataset | None]:
    """The period and dataset asked for; unknown codes fall back to the newest period and
    every dataset rather than an error page."""
    periods = results.completeness_periods()
    datasets = results.active_datasets()
    data = request.POST if request.method == "POST" else request.GET
    form = CompletenessFilterForm(data or None, periods=periods, datasets=datasets)
    period = next((p for p in periods if p.code == data.get("period", "")), None)
    period = period or (periods[0] if periods else None)
    dataset = next((d for d in datasets if d.code == data.get("dataset", "")), None)
    form.initial = {
        "period": period.code if period else "",
        "dataset": dataset.code if dataset else "",
    }
    if form.is_bound and not form.is_valid():
        form = CompletenessFilterForm(initial=form.initial, periods=periods, datasets=datasets)
    return form, period, dataset


def _reminder_job(request: HttpRequest) -> Job | None:
    """The reminder job the page was asked to follow, if the link names one."""
    try:
        job_id = uuid.UUID(request.GET.get("job", ""))
    except ValueError:
        return None
    return results.reminder_job_get(job_id=job_id)


def _completeness_rows(
    request: HttpRequest, period: Period, dataset: Dataset | None
) -> dict[str, Any]:
    """One page of rows in the state asked for (all when none), late first, each with
    when its organisation was last reminded."""
    state = request.GET.get("state", "")
    state = state if state in states.STATES else ""
    counts = states.completeness_counts(period, dataset)
    rows = states.completeness_rows(period, dataset)
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows, settings.COLLECTIF["PAGE_SIZE"] * 2).get_page(request.GET.get("page"))
    reminded = states.last_reminded(period, {row.organisation_id for row in page})
    return {
        "page": page,
        "rows": [
            {
                "row": row,
                "label": states.STATE_LABELS[row.state],
                "reminded": reminded.get(row.organisation_id),
            }
            for row in page
        ],
        "state": state,
        "states": [
            {"key": key, "label": states.STATE_LABELS[key], "count": counts[key]}
            for key in states.STATES
        ],
        "total": sum(counts.values()),
        "missing": states.organisations_not_reported(period, dataset),
    }


@login_required
@permission_required("measurement.view_completeness")
def completeness(request: HttpRequest) -> HttpResponse:
    form, period, dataset = _completeness_filters(request)
    context: dict[str, Any] = {
        "form": form,
        "period": period,
        "dataset": dataset,
        "job": _reminder_job(request),
    }
    if period is not None:
        context.update(_completeness_rows(request, period, dataset))
    return render(request, "measurement/completeness.html", context)


@require_POST
@login_required
@permission_required("measurement.view_completeness")
def completeness_remind(request: HttpRequest) -> HttpResponse:
    _form, period, dataset = _completeness_filters(request)
    if period is None:
        messages.error(request, _("Choose a period first."))
        return redirect("measurement:completeness")
    job = services.completeness_reminders_send(
        actor=request_actor(request), period=period, dataset=dataset
    )
    messages.success(
        request,
        _("Reminders are being sent to the organisations that have not reported for %(period)s.")
        % {"period": period.label},
    )
    query = {"period": period.code, "job": str(job.pk)}
    if dataset is not None:
        query["dataset"] = dataset.code
    return redirect(f"{reverse('measurement:completeness')}?{urlencode(query)}")


def report_card(request: HttpRequest) -> HttpResponse:
    """The public report card: published indicators only, small cells hidden and marked."""
    rows = results.scorecard(published_only=True, suppress=True)
    return render(
        request,
        "measurement/report_card.html",
        {
            "rows": _with_sparklines(rows),
            "count_below": suppress_count_below(),
            "organisations_below": suppress_organisations_below(),
        },
    )


def _report_card_line(row: ScorecardRow) -> list[str | int]:
    """One indicator's line: text neutralised for spreadsheets, numbers left as numbers,
    rounded to the indicator's decimals as on the page."""
    indicator, latest = row.indicator, row.latest
    shown = latest.shown if latest else None

    def number(value: Decimal | None) -> str:
        return "" if value is None else csv_number(rounded(value, indicator))

    return [
        neutralise(indicator.code),
        neutralise(indicator.name),
        neutralise(latest.period.code) if latest else "",
        number(shown),
        latest.organisations if latest and not latest.suppressed else "",
        neutralise(str(latest.reason)) if latest and latest.suppressed else "",
        number(row.baseline.value if row.baseline else None),
        number(row.target.value if row.target else None),
        neutralise(str(row.status_label)),
    ]


def report_card_csv(request: HttpRequest) -> HttpResponse:
    rows = results.scorecard(published_only=True, suppress=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="report-card.csv"'
    response.write(exports.BOM)
    writer = csv.writer(response, delimiter=csv_delimiter())
    writer.writerow(
        [
            _("Indicator code"),
            _("Indicator"),
            _("Period"),
            _("Value"),
            _("Organisations"),
            _("Suppressed"),
            _("Baseline"),
            _("Target (current plan)"),
            _("Status"),
        ]
    )
    writer.writerows(_report_card_line(row) for row in rows)
    return response


@login_required
@permission_required("measurement.export_figures")
def export(request: HttpRequest) -> HttpResponse:
    """Researchers get the published figures; staff also the organisation-level values."""
    context = {
        "full": request.user.has_perm("measurement.export"),
        "count_below": suppress_count_below(),
        "organisations_below": suppress_organisations_below(),
        "api_url": request.build_absolute_uri(RESEARCH_API) + "?indicator=…",
    }
    return render(request, "measurement/export.html", context)


def _export_start(request: HttpRequest, file_format: str) -> HttpResponse:
    """Exports run as background jobs: the job page shows progress, then the download."""
    job = export_services.values_export_start(
        actor=request_actor(request), file_format=file_format, language=_language()
    )
    messages.success(request, _("The export has started. The file will be ready in a moment."))
    return redirect("core:job_detail", job_id=job.pk)


@login_required
@permission_required("measurement.export")
@require_POST
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export_start(request, "csv")


@login_required
@permission_required("measurement.export")
@require_POST
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export_start(request, "xlsx")
