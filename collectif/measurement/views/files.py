"""Files in and out: blank templates to download, filled files to upload.

A file over a submission that already has saved values replaces nothing at once: the
page shows what would change, and the file waits in private storage (`files.pending`)
until the person confirms or cancels.

A file over `settings.IMPORT_BACKGROUND_BYTES` is checked, and once confirmed imported,
by a background job (`services.imports`): the person follows its progress on
`upload_job`, which then shows what the request would have shown.
"""

from dataclasses import replace
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from collectif.accounts.permissions import organisations_acting_for
from collectif.core.actors import actor_may, request_actor
from collectif.core.formatting import format_number
from collectif.core.models import Job
from collectif.core.permissions import permission_required
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.validation import Problem, describe_problem
from collectif.measurement.files import pending
from collectif.measurement.files.templates import (
    CONTENT_TYPES,
    FORMATS,
    LANGUAGES,
    template_filename,
    write_template,
)
from collectif.measurement.forms.files import UploadForm
from collectif.measurement.models import Dataset
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.selectors.imports import import_job_get
from collectif.measurement.services import imports
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import (
    ImportPreview,
    ImportResult,
    ReplaceNeeded,
    submission_import,
)


def _can_download(request: HttpRequest, dataset: Dataset) -> bool:
    """Staff, or a steward of an organisation the dataset is assigned to."""
    if actor_may(request_actor(request), "measurement.manage"):
        return True
    acting_for = organisations_acting_for(request.user)
    return bool(acting_for) and selectors.dataset_reported_by_any(
        dataset=dataset, organisation_ids=acting_for
    )


@login_required
def template_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    dataset = selectors.dataset_get(code=code)
    if fmt not in FORMATS:
        raise Http404
    if not _can_download(request, dataset):
        raise PermissionDenied
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    language = language if language in LANGUAGES else "en"
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    write_template(dataset, language=language, fmt=fmt, out=response)  # type: ignore[arg-type]
    filename = template_filename(dataset, language=language, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.column if p.column and "/" not in p.column else "", "p": p}
        for p in problems
    ]


def _organisation(request: HttpRequest, slug: str, **_kwargs: Any) -> Organisation:
    return selectors.organisation_for_report(slug=slug)


def _page(
    request: HttpRequest,
    organisation: Organisation,
    form: UploadForm,
    *,
    problems: list[Problem],
    page_errors: list[str] | None = None,
) -> HttpResponse:
    """The upload page; 422 with the error summary when the form or the file failed."""
    errors = [p for p in problems if p.severity == "error"]
    failed = bool(form.errors or errors or page_errors)
    return render(
        request,
        "measurement/upload.html",
        {
            "organisation": organisation,
            "form": form,
            "datasets": form.datasets,
            "problems": _rows(errors),
            "warnings": _rows([p for p in problems if p.severity != "error"]),
            "page_errors": page_errors or [],
            "failed": failed,
        },
        status=422 if failed else 200,
    )


def _imported_message(*, values: int, rows: int) -> str:
    return _("Your file is imported: %(values)s values from %(rows)s rows.") % {
        "values": format_number(values),
        "rows": format_number(rows),
    }


def _replaced_message(replaced: int) -> str:
    return ngettext(
        "The %(count)s value it replaced is kept in the history below: you can restore it.",
        "The %(count)s values it replaced are kept in the history below: you can restore them.",
        replaced,
    ) % {"count": format_number(replaced)}


def _imported(request: HttpRequest, result: ImportResult) -> HttpResponse:
    messages.success(request, _imported_message(values=result.cells, rows=result.rows))
    if result.replaced:
        messages.info(request, _replaced_message(result.replaced))
    for warning in result.warnings:
        messages.warning(request, describe_problem(warning))
    assert result.submission is not None
    return redirect("measurement:submission_detail", pk=result.submission.pk)


def _confirm_page(
    request: HttpRequest,
    organisation: Organisation,
    preview: ImportPreview,
    *,
    token: str,
    filename: str,
    job: Job | None = None,
) -> HttpResponse:
    """What the file would change, with "Replace the saved values" and "Cancel"."""
    return render(
        request,
        "measurement/upload_confirm.html",
        {
            "organisation": organisation,
            "preview": preview,
            "changes": preview.changes,
            "submission": preview.submission,
            "filename": filename,
            "token": token,
            "job": job,
            "warnings": _rows(preview.warnings),
        },
    )


@login_required
@permission_required("measurement.submit_for", fn=_organisation)
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a filled-in template; every problem is listed at once and nothing is saved.

    Over saved values, the page first shows what the file changes (`upload_confirm`).
    """
    organisation = selectors.organisation_for_report(slug=slug)
    initial = {key: request.GET[key] for key in ("dataset", "period") if request.GET.get(key)}
    form = UploadForm(
        request.POST or None, request.FILES or None, organisation=organisation, initial=initial
    )
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        dataset, period = form.cleaned_data["dataset"], form.cleaned_data["period"]
        if imports.runs_in_background(upload_file.size):
            return _check_in_background(request, organisation, form)
        try:
            result = submission_import(
                actor=request_actor(request),
                organisation=organisation,
                dataset=dataset,
                period=period,
                data=upload_file,
                filename=upload_file.name or "",
                submit=form.cleaned_data["submit"],
            )
        except services.SubmissionInvalid as exc:
            problems = exc.problems
            form.add_error(
                "file", _("Fix the problems listed above in your file, then upload it again.")
            )
        except ReplaceNeeded as needed:
            token, _kept = pending.keep(
                request.session,
                upload_file,
                organisation=organisation.slug,
                dataset=dataset.code,
                period=period.code,
                submit=form.cleaned_data["submit"],
                filename=(upload_file.name or "")[:200],
                fingerprint=needed.preview.fingerprint,
            )
            return _confirm_page(
                request, organisation, needed.preview, token=token, filename=upload_file.name or ""
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _imported(request, result)
    return _page(request, organisation, form, problems=problems)


@login_required
@require_POST
@permission_required("measurement.submit_for", fn=_organisation)
def upload_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Replace the saved values by the kept file ("replace"), or drop the file."""
    organisation = selectors.organisation_for_report(slug=slug)
    token = request.POST.get("token", "")
    kept = pending.find(request.session, token, organisation=organisation.slug)
    if kept is None:
        message = _(
            "This upload is no longer waiting for confirmation: it was already used or "
            "cancelled, or it waited more than a day. Nothing was changed: upload the file "
            "again."
        )
        form = UploadForm(None, organisation=organisation)
        return _page(request, organisation, form, problems=[], page_errors=[message])
    if request.POST.get("action") != "replace":
        pending.discard(request.session, token)
        messages.info(request, _("Nothing was replaced: the saved values are unchanged."))
        return _after_cancel(organisation, kept)
    if not kept.fingerprint:
        kept = _checked_by_job(request, organisation, kept)
    return _replace(request, organisation, token=token, kept=kept)


def _checked_by_job(
    request: HttpRequest, organisation: Organisation, kept: pending.PendingUpload
) -> pending.PendingUpload:
    """A large file was checked by a job: the changes the person saw are the job's.
    Without a finished check of this very file, the fingerprint stays empty and the
    import shows the differences again rather than replacing anything unseen."""
    try:
        job_id = UUID(request.POST.get("job", ""))
    except ValueError:
        return kept
    job = import_job_get(user=request.user, job_id=job_id, organisation_slug=organisation.slug)
    if job is None or job.params.get("path") != kept.path:
        return kept
    return replace(kept, fingerprint=str(job.result.get("fingerprint", "")))


def _after_cancel(organisation: Organisation, kept: pending.PendingUpload) -> HttpResponse:
    submission = selectors.submission_find(
        organisation_slug=organisation.slug, dataset_code=kept.dataset, period_code=kept.period
    )
    if submission is None:
        return redirect("measurement:upload", slug=organisation.slug)
    return redirect("measurement:submission_detail", pk=submission.pk)


def _replace(
    request: HttpRequest, organisation: Organisation, *, token: str, kept: pending.PendingUpload
) -> HttpResponse:
    """Import the kept file over the saved values the person saw, and drop the file."""
    if imports.runs_in_background(pending.stored_size(kept.path)):
        return _import_in_background(request, organisation, kept)
    try:
        with pending.open_kept(kept) as data:
            result = submission_import(
                actor=request_actor(request),
                organisation=organisation,
                dataset=selectors.dataset_get(code=kept.dataset),
                period=selectors.period_get(code=kept.period),
                data=data,
                filename=kept.filename,
                submit=kept.submit,
                replace=True,
                replacing=kept.fingerprint,
            )
    except ReplaceNeeded as needed:
        # The saved values changed since the preview: show the differences anew.
        pending.refingerprint(request.session, token, needed.preview.fingerprint)
        return _confirm_page(
            request, organisation, needed.preview, token=token, filename=kept.filename
        )
    except services.SubmissionInvalid as exc:
        problems = exc.problems
    except ValidationError as exc:
        problems = [Problem(message=message) for message in exc.messages]
    else:
        pending.discard(request.session, token)
        return _imported(request, result)
    pending.discard(request.session, token)
    initial = {"dataset": kept.dataset, "period": kept.period}
    form = UploadForm(None, organisation=organisation, initial=initial)
    return _page(request, organisation, form, problems=problems)


# --- Large files: a background job, followed on `upload_job` ---------------------------


def _check_in_background(
    request: HttpRequest, organisation: Organisation, form: UploadForm
) -> HttpResponse:
    """Keep the file as for a confirmation, and queue its check (and import, if nothing
    is saved yet) for a worker; the person follows it on the job's page."""
    upload_file = form.cleaned_data["file"]
    filename = (upload_file.name or "")[:200]
    _token, kept = pending.keep(
        request.session,
        upload_file,
        organisation=organisation.slug,
        dataset=form.cleaned_data["dataset"].code,
        period=form.cleaned_data["period"].code,
        submit=form.cleaned_data["submit"],
        filename=filename,
        fingerprint="",
    )
    job = imports.file_import_start(
        actor=request_actor(request),
        organisation=organisation,
        dataset=form.cleaned_data["dataset"],
        period=form.cleaned_data["period"],
        path=kept.path,
        filename=filename,
        submit=kept.submit,
        keep=True,
    )
    return redirect("measurement:upload_job", slug=organisation.slug, job_id=job.pk)


def _import_in_background(
    request: HttpRequest, organisation: Organisation, kept: pending.PendingUpload
) -> HttpResponse:
    """The confirmed replacement of a large file, as a job (the file stays kept until the
    job has used it)."""
    job = imports.file_import_start(
        actor=request_actor(request),
        organisation=organisation,
        dataset=selectors.dataset_get(code=kept.dataset),
        period=selectors.period_get(code=kept.period),
        path=kept.path,
        filename=kept.filename,
        submit=kept.submit,
        replace=True,
        replacing=kept.fingerprint,
        keep=True,
    )
    return redirect("measurement:upload_job", slug=organisation.slug, job_id=job.pk)


@login_required
@permission_required("measurement.submit_for", fn=_organisation)
def upload_job(request: HttpRequest, slug: str, job_id: UUID) -> HttpResponse:
    """A large file's check or import: its progress, then what the request would show."""
    organisation = selectors.organisation_for_report(slug=slug)
    job = import_job_get(user=request.user, job_id=job_id, organisation_slug=organisation.slug)
    if job is None:
        raise Http404
    outcome = job.result.get("outcome") if job.status == Job.Status.SUCCEEDED else None
    failed = job.status == Job.Status.FAILED or job.is_stalled or job.worker_lost
    # A GET writes nothing, the session included: the job deleted a file nothing waits
    # for, the session's note of it finds nothing (`pending.find`) and is pushed out by
    # later uploads, and a failed job's file goes with the day's sweep.
    if outcome == "invalid":
        initial = {"dataset": job.params["dataset"], "period": job.params["period"]}
        form = UploadForm(None, organisation=organisation, initial=initial)
        problems = imports.outcome_problems(job.result["problems"] + job.result["warnings"])
        return _page(request, organisation, form, problems=problems)
    if outcome == "replace_needed":
        return _job_confirm_page(request, organisation, job)
    context: dict[str, Any] = {
        "organisation": organisation,
        "job": job,
        "filename": job.params.get("filename", ""),
        "failed": failed,
    }
    if outcome == "imported":
        result = job.result
        context |= {
            "imported": _imported_message(values=result["values"], rows=result["rows"]),
            "replaced": _replaced_message(result["replaced"]) if result["replaced"] else "",
            "warnings": _rows(imports.outcome_problems(result["warnings"])),
            "submission_id": result["submission"],
        }
    return render(request, "measurement/upload_job.html", context)


def _job_confirm_page(request: HttpRequest, organisation: Organisation, job: Job) -> HttpResponse:
    """The checked file would replace saved values: the usual confirmation, for the file
    this session kept (another steward sees the changes, but cannot confirm them)."""
    result = job.result
    preview = ImportPreview(
        rows=result["rows"],
        cells=result["values"],
        saved=result["saved"],
        changes=imports.outcome_changes(result["changes"]),
        submission=selectors.submission_get(user=request.user, pk=result["submission"]),
        warnings=imports.outcome_problems(result["warnings"]),
        fingerprint=result["fingerprint"],
    )
    token = pending.token_for(request.session, job.params.get("path", "")) or ""
    # What the person is shown is the job's: the confirmation names the job, and reads
    # the changes' fingerprint from it (`upload_confirm`), rather than the session.
    return _confirm_page(
        request,
        organisation,
        preview,
        token=token,
        filename=job.params.get("filename", ""),
        job=job,
    )
