"""Large partner files, checked and imported by a background job.

Reading and checking a file of several megabytes takes longer than a web request may
last, so above `settings.IMPORT_BACKGROUND_BYTES` the upload page and the API only keep
the file privately and queue this work; the job page (or the API's status address)
follows its progress and then shows what the request would have shown. The check and
the import are `submission_import`'s, unchanged: a job is only another way to call it,
as the person who uploaded the file, so their permission is asked again when it runs.

The outcome is kept on the job as plain data (`*_outcome`), in the language the person
used when uploading: messages are written when the file is checked.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from collectif.core.actors import Actor, require
from collectif.core.models import Job
from collectif.core.services import job_create, job_enqueue, job_start, job_succeed
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.changes import Change, ValueChanges
from collectif.measurement.domain.validation import Problem
from collectif.measurement.files import pending
from collectif.measurement.models import Dataset, Period
from collectif.measurement.services.files import (
    ImportPreview,
    ImportResult,
    ReplaceNeeded,
    submission_import,
)
from collectif.measurement.services.submissions import SubmissionInvalid

IMPORT_JOB_KIND = "measurement.file_import"
# The bar moves about once a percent, not on every chunk read.
PROGRESS_STEPS = 100


def runs_in_background(size: int | None) -> bool:
    """Whether a file of this many bytes is imported by a job rather than in the request."""
    return size is not None and size > settings.IMPORT_BACKGROUND_BYTES


def file_import_start(
    *,
    actor: Actor,
    organisation: Organisation,
    dataset: Dataset,
    period: Period,
    path: str,
    filename: str,
    submit: bool = False,
    replace: bool = False,
    replacing: str = "",
    keep: bool = False,
) -> Job:
    """Queue the check and import of a file already stored at `path` (`pending.store`).

    With `keep`, a file that would replace saved values stays stored for the person to
    confirm (the web page); otherwise every outcome deletes it (the API, which sends
    the file again with `replace`).
    """
    from collectif.measurement.tasks import file_import

    require(actor, "measurement.submit_for", organisation)
    with transaction.atomic():
        job = job_create(
            kind=IMPORT_JOB_KIND,
            actor=actor,
            params={
                "organisation": organisation.slug,
                "dataset": dataset.code,
                "period": period.code,
                "path": path,
                "filename": filename[:200],
                "submit": submit,
                "replace": replace,
                "replacing": replacing,
                "keep": keep,
                "language": translation.get_language() or settings.LANGUAGE_CODE,
            },
        )
        job_enqueue(job, file_import)
    return job


class _JobProgress:
    """Moves the job's bar as the file's rows are checked (rows done, rows expected).

    The rows expected are an estimate until the last is read, so both numbers are set
    each time, not added to.
    """

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.reported = 0

    def __call__(self, done: int, total: int) -> None:
        if done - self.reported < max(total // PROGRESS_STEPS, 1) and done < total:
            return
        self.reported = done
        Job.objects.filter(pk=self.job_id).update(
            progress_done=min(done, total), progress_total=total, heartbeat_at=timezone.now()
        )


def file_import_run(*, job_id: str) -> str:
    """Do a queued import's work; returns its outcome ("imported", "invalid"...).

    A file that is refused is an outcome, not a failure: the job succeeds and its result
    lists the problems. Only the unexpected (a lost file, a revoked permission) fails it.
    """
    job = Job.objects.select_related("created_by").filter(pk=job_id, kind=IMPORT_JOB_KIND).first()
    if job is None:
        return ""
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        outcome = _run(job)
    job_succeed(job_id=job.pk, result=outcome)
    return str(outcome["outcome"])


def _run(job: Job) -> dict[str, Any]:
    params = job.params
    if job.created_by is None:
        raise PermissionDenied
    path = params["path"]
    keep_file = False
    try:
        job_start(job_id=job.pk, total=0)
        with pending.open_stored(path) as data:
            result = submission_import(
                actor=job.created_by,
                organisation=Organisation.objects.get(slug=params["organisation"]),
                dataset=Dataset.objects.get(code=params["dataset"]),
                period=Period.objects.get(code=params["period"]),
                data=data,
                filename=params["filename"],
                submit=params["submit"],
                progress=_JobProgress(job.pk),
                replace=params["replace"],
                replacing=params["replacing"],
            )
    except ReplaceNeeded as needed:
        keep_file = bool(params.get("keep"))
        return replace_needed_outcome(needed.preview)
    except SubmissionInvalid as invalid:
        return invalid_outcome(invalid.problems)
    except ValidationError as error:
        return invalid_outcome([Problem(message=message) for message in error.messages])
    finally:
        if not keep_file:
            pending.delete(path)
    return imported_outcome(result)


# --- Outcomes as plain data, for the job's result and the API's answers ----------------


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{**asdict(problem), "message": str(problem.message)} for problem in problems]


def imported_outcome(result: ImportResult) -> dict[str, Any]:
    assert result.submission is not None
    return {
        "outcome": "imported",
        "rows": result.rows,
        "values": result.cells,
        "replaced": result.replaced,
        "submission": result.submission.pk,
        "warnings": _problems(result.warnings),
    }


def invalid_outcome(problems: list[Problem]) -> dict[str, Any]:
    return {
        "outcome": "invalid",
        "problems": _problems([p for p in problems if p.severity == "error"]),
        "warnings": _problems([p for p in problems if p.severity != "error"]),
    }


def replace_needed_outcome(preview: ImportPreview) -> dict[str, Any]:
    return {
        "outcome": "replace_needed",
        "rows": preview.rows,
        "values": preview.cells,
        "saved": preview.saved,
        "submission": preview.submission.pk,
        "fingerprint": preview.fingerprint,
        "changes": asdict(preview.changes),
        "warnings": _problems(preview.warnings),
    }


def outcome_problems(items: list[dict[str, Any]]) -> list[Problem]:
    """Problems kept in an outcome, as the pages show them."""
    return [Problem(**item) for item in items]


def outcome_changes(data: dict[str, Any]) -> ValueChanges:
    """The changes kept in a "replace_needed" outcome, as `value_changes.html` shows them."""
    return ValueChanges(
        added=[Change(**change) for change in data["added"]],
        changed=[Change(**change) for change in data["changed"]],
        removed=[Change(**change) for change in data["removed"]],
        added_count=data["added_count"],
        changed_count=data["changed_count"],
        removed_count=data["removed_count"],
        unchanged_count=data["unchanged_count"],
    )
