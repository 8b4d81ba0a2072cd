"""Pages every visitor meets: homes, health, errors, the audit trail and job progress."""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from collectif.core import selectors, services
from collectif.core.actors import request_actor
from collectif.core.api_errors import error_body
from collectif.core.audit import action_groups, change_lines, event_sentence
from collectif.core.formatting import format_number
from collectif.core.manifest import attention_items, headline_figures, home_panels
from collectif.core.permissions import permission_required


def home(request: HttpRequest) -> HttpResponse:
    figures = headline_figures()
    return render(request, "core/home.html", {"figures": figures})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: staff see what needs attention, others their own home."""
    if request.user.has_perm("core.staff_home"):
        return redirect("core:staff_home")
    panels = home_panels(request.user)
    return render(request, "core/member_home.html", {"panels": panels})


@login_required
@permission_required("core.staff_home")
def staff_home(request: HttpRequest) -> HttpResponse:
    items = attention_items(request.user)
    items.sort(key=lambda item: (item.count == 0, str(item.label)))
    return render(request, "core/staff_home.html", {"items": items})


def _date_param(value: str) -> date | None:
    """A filter date typed by hand may be malformed or impossible; ignore it then."""
    try:
        return parse_date(value.strip())
    except ValueError:
        return None


@login_required
@permission_required("core.view_audit")
def audit_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    since = _date_param(params.get("since", ""))
    until = _date_param(params.get("until", ""))
    events = selectors.audit_event_list(
        action=params.get("action", "").strip(),
        actor_email=params.get("actor", "").strip(),
        since=since,
        until=until,
    )
    page = Paginator(events, settings.COLLECTIF["PAGE_SIZE"]).get_page(params.get("page"))
    rows = [
        {"event": event, "sentence": event_sentence(event), "changes": change_lines(event)}
        for event in page.object_list
    ]
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "rows": rows,
            "action_groups": action_groups(),
            "filters": {
                "action": params.get("action", ""),
                "actor": params.get("actor", ""),
                "since": params.get("since", ""),
                "until": params.get("until", ""),
            },
        },
    )


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get_for(job_id=job_id, user=request.user)
    if job is None:
        raise Http404
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "lost": job.is_stalled or job.worker_lost,
            "lost_message": worker_lost_message(),
            "retry": job.retries.order_by("-created_at").first(),
        },
    )


@login_required
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    """Results may hold private data, so they are served only to whoever may see the job."""
    job = selectors.job_get_for(job_id=job_id, user=request.user)
    if job is None or not job.result_file or job.status != job.Status.SUCCEEDED:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=Path(job.result_file.name).name)


def worker_lost_message() -> str:
    return _(
        "The worker running this job stopped before it finished. "
        "Nothing more will happen unless you start it again."
    )


@never_cache
@login_required
def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    """What the progress bar polls; the page works without it by reloading.

    A job whose worker stopped says so and reports itself finished, so the page stops
    polling and reloads to offer a retry.
    """
    job = selectors.job_get_for(job_id=job_id, user=request.user)
    if job is None:
        raise Http404
    lost = job.is_stalled or job.worker_lost
    return JsonResponse(
        {
            "status": job.status,
            "status_label": _("Stopped") if lost else job.get_status_display(),
            "percent": job.percent,
            "done": job.progress_done,
            "total": job.progress_total,
            "count_label": (
                _("%(done)s of %(total)s")
                % {
                    "done": format_number(job.progress_done),
                    "total": format_number(job.progress_total),
                }
                if job.progress_total
                else ""
            ),
            "message": worker_lost_message() if lost else job.message,
            "stalled": lost,
            "finished": not job.is_following,
        }
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: str) -> HttpResponse:
    """Start failed or stalled work again, as a new job the page then follows."""
    job = selectors.job_get_for(job_id=job_id, user=request.user)
    if job is None:
        raise Http404
    try:
        retry = services.job_retry(actor=request_actor(request), job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:job_detail", job_id=job.pk)
    messages.success(request, _("The work was started again."))
    return redirect("core:job_detail", job_id=retry.pk)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(
    request: HttpRequest, *, status: int, code: str, title: str, message: str, api_message: str
) -> HttpResponse:
    if request.path.startswith("/api/"):
        # Failures outside any endpoint still answer in the API's one error format.
        return JsonResponse(error_body(code, api_message), status=status)
    context: dict[str, Any] = {"status": status, "title": title, "message": message}
    return render(request, "error.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        status=403,
        code="forbidden",
        title=_("You cannot use this page"),
        message=_(
            "Your account does not have access to this page. "
            "If you think it should, contact the backbone team."
        ),
        api_message=_("You are not allowed to do this."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        status=404,
        code="not_found",
        title=_("Page not found"),
        message=_(
            "If you typed the address, check it is correct. "
            "If you followed a link, it may be out of date."
        ),
        api_message=_("Nothing was found at this address."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        status=500,
        code="server_error",
        title=_("Sorry, something went wrong"),
        message=_(
            "We could not show this page. Try again in a few minutes; "
            "if it keeps happening, contact the backbone team."
        ),
        api_message=_("Something went wrong on our side. Try again in a few minutes."),
    )
