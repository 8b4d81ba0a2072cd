"""Who has reported for a period, for the backbone staff who follow reporting, and reminders."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.core.actors import request_actor
from collectif.core.models import Job
from collectif.core.permissions import permission_required
from collectif.core.results_version import results_cached
from collectif.measurement.forms.results import CompletenessFilterForm
from collectif.measurement.models import Dataset, Period
from collectif.measurement.selectors import completeness as states
from collectif.measurement.selectors import results
from collectif.measurement.services import results as services


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
    when its organisation was last reminded.

    The counts and the order read every row of the period; they are kept under the
    results version (every submission, approval and change of who reports what moves
    it), so a page costs the same at 100 and 15,000 partners. The rows themselves, and
    when each was reminded, are read afresh for the page.
    """
    state = request.GET.get("state", "")
    state = state if state in states.STATES else ""
    # Late or not yet due changes with the date, not with the data: part of the key.
    shown = (period.pk, dataset.pk if dataset else None, states.state_of(None, period))
    counts, missing = results_cached(
        request, "completeness-counts", lambda: states.completeness_summary(period, dataset), *shown
    )
    per_page = settings.COLLECTIF["PAGE_SIZE"] * 2
    paginator = Paginator(range(counts[state] if state else sum(counts.values())), per_page)
    page = paginator.get_page(request.GET.get("page"))
    offset = (page.number - 1) * per_page
    ids = results_cached(
        request,
        "completeness-page",
        lambda: states.completeness_page_ids(
            period, dataset, state=state, offset=offset, limit=per_page
        ),
        *shown,
        state,
        offset,
        per_page,
    )
    rows = states.completeness_rows_by_id(period, dataset, ids)
    reminded = states.last_reminded(period, {row.organisation_id for row in rows})
    return {
        "page": page,
        "rows": [
            {
                "row": row,
                "label": states.STATE_LABELS[row.state],
                "reminded": reminded.get(row.organisation_id),
            }
            for row in rows
        ],
        "state": state,
        "states": [
            {"key": key, "label": states.STATE_LABELS[key], "count": counts[key]}
            for key in states.STATES
        ],
        "total": sum(counts.values()),
        "missing": missing,
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
