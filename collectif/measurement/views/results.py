"""Results pages: the scorecard, an indicator's page, a partner's contribution, data
completeness, the public report card and the exports.

Reads come from `selectors.results`, writes from `services.results`; a view only
chooses what to show to whom. Backbone staff (who may manage measurement) see every
indicator and every figure; members and the public see published indicators with
small cells hidden, exactly as the API and the report card's CSV do.
"""

import csv
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.accounts.permissions import viewer_fingerprint
from collectif.core.actors import request_actor
from collectif.core.formatting import csv_delimiter, csv_number
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.core.results_version import results_cached, results_page
from collectif.core.spreadsheets import neutralise
from collectif.core.templatetags.collectif import translated
from collectif.measurement import charts
from collectif.measurement.domain.disclosure import (
    suppress_count_below,
    suppress_organisations_below,
)
from collectif.measurement.domain.results import PlanTargets, ScorecardRow, rounded
from collectif.measurement.files import exports
from collectif.measurement.forms.results import StoryForm
from collectif.measurement.models import Indicator, Period
from collectif.measurement.selectors import results
from collectif.measurement.services import exports as export_services
from collectif.measurement.services import results as services

# Where the researchers' API operation is mounted (api/research.py, under /api/v1/).
RESEARCH_API = "/api/v1/research/figures"


def _language() -> str:
    return (get_language() or "en")[:2]


def _whole_page(request: HttpRequest, name: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    """The page whole from the cache when this viewer saw it under the same results."""
    viewer = viewer_fingerprint(request.user)
    return results_page(request, name, viewer=viewer, render_page=page)


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


def _scorecard_body(*, staff: bool) -> str:
    rows = results.scorecard(published_only=not staff, suppress=not staff)
    return render_to_string(
        "measurement/scorecard_body.html", {"rows": _with_sparklines(rows), "staff": staff}
    )


@login_required
@permission_required("measurement.view_results")
def scorecard(request: HttpRequest) -> HttpResponse:
    """Members see published indicators with public suppression; staff see everything."""

    def page() -> HttpResponse:
        staff = _sees_everything(request)
        body = results_cached(request, "scorecard", lambda: _scorecard_body(staff=staff), staff)
        return render(request, "measurement/scorecard.html", {"body": body})

    return _whole_page(request, "scorecard", page)


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


class _IndicatorPage:
    """What both cached parts of an indicator's page read: read once when both are built."""

    def __init__(self, code: str, *, staff: bool) -> None:
        self.code = code
        self.staff = staff
        self._overview: tuple[ScorecardRow, PlanTargets] | None = None

    @cached_property
    def indicator(self) -> Indicator | None:
        return results.indicator_get(code=self.code, published_only=not self.staff)

    def overview(self, indicator: Indicator) -> tuple[ScorecardRow, PlanTargets]:
        if self._overview is None:
            self._overview = results.indicator_overview(indicator, suppress=not self.staff)
        return self._overview

    def top(self) -> dict[str, Any] | None:
        """The page down to the story: its title, the figures, the curve and its tables;
        with the periods that may be chosen for the breakdowns below. None: a 404."""
        indicator = self.indicator
        if indicator is None:
            return None
        row, targets = self.overview(indicator)
        periods = [f.period for f in row.series]
        context = {
            "indicator": indicator,
            "row": row,
            "figures": _with_sparklines([row])[0],
            "targets": targets,
            "staff": self.staff,
            "curve": charts.turn_the_curve(
                indicator,
                row.series,
                baseline=row.baseline,
                current=targets.current_all,
                original=targets.original_all,
            ),
        }
        return {
            "title": translated(indicator, "name"),
            "html": render_to_string("measurement/indicator_detail_top.html", context),
            "periods": [p.code for p in periods],
            "latest": row.latest.period.code if row.latest else "",
        }

    def breakdowns(self, period_code: str) -> str:
        """The province and dimension breakdowns of one of the indicator's periods."""
        indicator = self.indicator
        if indicator is None:
            return ""
        periods = [f.period for f in self.overview(indicator)[0].series]
        period = next((p for p in periods if p.code == period_code), None)
        if period is None:
            return ""
        context = {
            "indicator": indicator,
            "figures": {"unit": charts.unit_name(indicator)},
            "periods": list(reversed(periods)),
            "period": period,
            **_breakdowns(indicator, period, suppress=not self.staff),
        }
        return render_to_string("measurement/indicator_detail_period.html", context)


@login_required
@permission_required("measurement.view_results")
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Two cached parts: the indicator's figures, and the breakdowns of the period asked
    for (the latest unless another of its periods is named)."""
    return _whole_page(request, "indicator", lambda: _indicator_page(request, code))


def _indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    staff = _sees_everything(request)
    page = _IndicatorPage(code, staff=staff)
    top = results_cached(request, "indicator", page.top, code, staff)
    if top is None:
        raise Http404
    period = request.GET.get("period", "")
    period = period if period in top["periods"] else top["latest"]
    breakdowns = ""
    if period:
        breakdowns = results_cached(
            request, "indicator_period", lambda: page.breakdowns(period), code, period, staff
        )
    context = {"title": top["title"], "top": top["html"], "breakdowns": breakdowns}
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


def _report_card_body() -> str:
    rows = results.scorecard(published_only=True, suppress=True)
    context = {
        "rows": _with_sparklines(rows),
        "count_below": suppress_count_below(),
        "organisations_below": suppress_organisations_below(),
    }
    return render_to_string("measurement/report_card_body.html", context)


def report_card(request: HttpRequest) -> HttpResponse:
    """The public report card: published indicators only, small cells hidden and marked.

    The figures are kept under the results version, and so is the whole page, per viewer.
    """

    def page() -> HttpResponse:
        body = results_cached(request, "report_card", _report_card_body)
        return render(request, "measurement/report_card.html", {"body": body})

    return _whole_page(request, "report_card", page)


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
