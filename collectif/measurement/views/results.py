"""Results pages: the scorecard, an indicator's page, a partner's contribution, data
completeness, the public report card and the exports. Reads come from `results`,
writes from `results_services`; views only choose what to show to whom.
"""

import csv
import tempfile
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from collectif.accounts.permissions import is_backbone_staff
from collectif.core.formatting import csv_delimiter, csv_number, format_number
from collectif.core.models import Job
from collectif.ecosystem.models import Organisation
from collectif.measurement import charts
from collectif.measurement.files import exports
from collectif.measurement.forms.results import CompletenessFilterForm, StoryForm
from collectif.measurement.models import Dataset, Indicator, Period
from collectif.measurement.permissions import can_see_partner_results
from collectif.measurement.selectors import results
from collectif.measurement.services import results as results_services


def _language() -> str:
    return (get_language() or "en")[:2]


def _with_sparklines(rows: list[results.ScorecardRow]) -> list[dict[str, Any]]:
    return [{"row": row, "sparkline": charts.sparkline(row.indicator, row.series)} for row in rows]


@login_required
@permission_required("measurement.view_results", raise_exception=True)
def scorecard(request: HttpRequest) -> HttpResponse:
    """Members see published indicators with public suppression; staff see everything."""
    staff = is_backbone_staff(request.user)
    rows = results.scorecard(published_only=not staff, suppress=not staff)
    return render(
        request,
        "measurement/scorecard.html",
        {"rows": _with_sparklines(rows), "staff": staff},
    )


def _indicator_for(request: HttpRequest, code: str) -> Indicator:
    indicator: Indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"), code=code
    )
    if not indicator.is_published and not is_backbone_staff(request.user):
        raise Http404
    return indicator


@login_required
@permission_required("measurement.view_results", raise_exception=True)
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_for(request, code)
    staff = is_backbone_staff(request.user)
    suppress = not staff
    row, targets = results.indicator_overview(indicator, suppress=suppress)
    periods = [f.period for f in row.series]
    period = next((p for p in periods if p.code == request.GET.get("period")), None)
    if period is None and row.latest is not None:
        period = row.latest.period
    context: dict[str, Any] = {
        "indicator": indicator,
        "row": row,
        "targets": targets,
        "periods": list(reversed(periods)),
        "period": period,
        "staff": staff,
        "curve": charts.turn_the_curve(
            indicator, row.series, row.baseline, targets.current_all, targets.original_all
        ),
        "provinces": [],
        "dimensions": [],
    }
    if period is not None:
        provinces = results.breakdown_by_province(indicator, period, suppress=suppress)
        context["provinces"] = provinces
        context["tile_map"] = charts.tile_map(
            indicator,
            [(p.code, f) for p, f in provinces],
            _("%(indicator)s by province and territory, %(period)s")
            % {"indicator": indicator.name, "period": period.code},
        )
        context["province_bars"] = charts.bars(
            "provinces",
            indicator,
            [(p.name, f) for p, f in provinces],
            _("%(indicator)s by province and territory, %(period)s (bars)")
            % {"indicator": indicator.name, "period": period.code},
        )
        for dimension in indicator.dimensions.filter(is_province=False).prefetch_related("members"):
            items = results.breakdown_by_dimension(indicator, period, dimension, suppress=suppress)
            title = _("%(indicator)s by %(dimension)s, %(period)s") % {
                "indicator": indicator.name,
                "dimension": dimension.name.lower(),
                "period": period.code,
            }
            context["dimensions"].append(
                {
                    "dimension": dimension,
                    "items": items,
                    "chart": charts.bars(
                        f"dim-{dimension.code}",
                        indicator,
                        [(m.name, f) for m, f in items],
                        title,
                    ),
                }
            )
    return render(request, "measurement/indicator_detail.html", context)


@login_required
@permission_required("measurement.manage", raise_exception=True)
def indicator_story(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    if request.method == "POST":
        form = StoryForm(request.POST)
        if form.is_valid():
            results_services.indicator_story_update(
                actor=request.user,
                indicator=indicator,
                story_en=form.cleaned_data["story_en"],
                story_fr=form.cleaned_data["story_fr"],
            )
            messages.success(request, _("The story behind the curve was saved."))
            return redirect(indicator.get_absolute_url())
    else:
        form = StoryForm(
            initial={
                "story_en": getattr(indicator, "story_en", "") or "",
                "story_fr": getattr(indicator, "story_fr", "") or "",
            }
        )
    return render(
        request, "measurement/indicator_story.html", {"indicator": indicator, "form": form}
    )


@login_required
def partner_results(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_see_partner_results(request.user, organisation):
        raise PermissionDenied
    contributions = results.partner_contribution(organisation)
    page = Paginator(contributions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/partner_results.html",
        {"organisation": organisation, "page": page},
    )


def _completeness_filters(
    request: HttpRequest,
) -> tuple[CompletenessFilterForm, Period | None, Dataset | None]:
    periods = results.completeness_periods()
    data = request.POST if request.method == "POST" else request.GET
    form = CompletenessFilterForm(data or None, periods=periods)
    chosen = {p.code: p for p in periods}
    period = chosen.get(data.get("period", "")) or (periods[0] if periods else None)
    dataset = Dataset.objects.filter(code=data.get("dataset", ""), is_active=True).first()
    form.initial = {
        "period": period.code if period else "",
        "dataset": dataset.code if dataset else "",
    }
    if form.is_bound and not form.is_valid():
        form = CompletenessFilterForm(initial=form.initial, periods=periods)
    return form, period, dataset


@login_required
@permission_required("measurement.manage", raise_exception=True)
def completeness(request: HttpRequest) -> HttpResponse:
    form, period, dataset = _completeness_filters(request)
    rows = results.completeness(period, dataset) if period else []
    missing = [r for r in rows if not r.reported]
    page = Paginator(rows, settings.COLLECTIF["PAGE_SIZE"] * 2).get_page(request.GET.get("page"))
    job = None
    try:
        job_id = uuid.UUID(request.GET.get("job", ""))
    except ValueError:
        job_id = None
    if job_id is not None:
        job = Job.objects.filter(pk=job_id, kind=results_services.REMINDER_JOB).first()
    return render(
        request,
        "measurement/completeness.html",
        {
            "form": form,
            "period": period,
            "dataset": dataset,
            "page": page,
            "total": len(rows),
            "missing": len({r.organisation.pk for r in missing}),
            "job": job,
        },
    )


@require_POST
@login_required
@permission_required("measurement.manage", raise_exception=True)
def completeness_remind(request: HttpRequest) -> HttpResponse:
    _form, period, dataset = _completeness_filters(request)
    if period is None:
        messages.error(request, _("Choose a period first."))
        return redirect("measurement:completeness")
    job = results_services.completeness_reminders_send(
        actor=request.user, period=period, dataset=dataset
    )
    messages.success(
        request,
        _("Reminders are being sent to the organisations that have not reported for %(period)s.")
        % {"period": period.code},
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
            "count_below": results.suppress_count_below(),
            "organisations_below": results.suppress_organisations_below(),
        },
    )


def _number(value: Any, indicator: Indicator) -> str:
    return "" if value is None else format_number(value, indicator.decimals)


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
    for row in rows:
        indicator, latest = row.indicator, row.latest
        writer.writerow(
            [
                exports.neutralise(cell) if isinstance(cell, str) else cell
                for cell in (
                    indicator.code,
                    indicator.name,
                    latest.period.code if latest else "",
                    csv_number(latest.shown) if latest and latest.shown is not None else "",
                    latest.organisations if latest and not latest.suppressed else "",
                    str(latest.reason) if latest and latest.suppressed else "",
                    csv_number(row.baseline.value) if row.baseline else "",
                    csv_number(row.target.value) if row.target else "",
                    str(row.status_label),
                )
            ]
        )
    return response


@login_required
@permission_required("measurement.export", raise_exception=True)
def export(request: HttpRequest) -> HttpResponse:
    return render(request, "measurement/export.html", {})


def _export_name(extension: str) -> str:
    return f"approved-values-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@permission_required("measurement.export", raise_exception=True)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.csv_lines(_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


@login_required
@permission_required("measurement.export", raise_exception=True)
def export_xlsx(request: HttpRequest) -> FileResponse:
    """Written to a temporary file first: an XLSX is a zip and cannot be streamed as built."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    exports.write_xlsx(handle, _language())
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
