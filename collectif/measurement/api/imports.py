"""`/api/v1/measurement/imports`: a partner's filled-in template, sent as a file.

The file is checked whole, as on the upload page: every problem comes back at once and
nothing is saved unless the file is correct. Saved values are replaced only with
`replace=true`; otherwise the answer is 409 and nothing changes. A file larger than
`IMPORT_BACKGROUND_BYTES` is checked and imported by a background job: the answer is
202 with the job's status address, which gives its progress and then the very body
(and status code) the import would have answered at once.
"""

from typing import Any, BinaryIO, cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from collectif.accounts.api_auth import required_auth
from collectif.core.actors import request_actor, require
from collectif.core.api_errors import error_body, responses
from collectif.measurement.domain.validation import Problem, describe_problem
from collectif.measurement.files import pending
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.selectors.imports import import_job_get
from collectif.measurement.services import imports
from collectif.measurement.services.files import ReplaceNeeded, submission_import
from collectif.measurement.services.submissions import SubmissionInvalid

router = Router(tags=["measurement"])

CODE_LENGTH = 100


class ImportIn(Schema):
    organisation: str = Field(max_length=CODE_LENGTH, description="The organisation's slug.")
    dataset: str = Field(max_length=CODE_LENGTH)
    period: str = Field(max_length=CODE_LENGTH, description="A period's code, e.g. 2026Q1")
    submit: bool = Field(False, description="Also send the submission for approval.")
    replace: bool = Field(
        False, description="Replace values already saved (kept in the history); else 409."
    )


class ProblemOut(Schema):
    field: str = Field(description="'file'")
    message: str = Field(description="Where in the file (row, column) and what to do")


class ImportOut(Schema):
    outcome: str = Field(description="imported")
    rows: int
    values: int
    replaced: int = Field(description="Saved values the file replaced (kept in the history)")
    submission: int
    submission_url: str
    warnings: list[ProblemOut]


class ImportJobOut(Schema):
    id: UUID
    state: str = Field(description="queued, running, succeeded or failed")
    status_url: str = Field(description="Where to follow the job (GET)")


class ProgressOut(Schema):
    done: int
    total: int = Field(description="Rows expected (an estimate until the file is read)")


class ImportStatusOut(Schema):
    id: UUID
    state: str = Field(description="queued, running, succeeded or failed")
    progress: ProgressOut
    status_code: int | None = Field(
        description="Once succeeded: what the import would have answered (201, 409 or 422)"
    )
    result: dict[str, Any] | None = Field(
        description="Once succeeded: the body the import would have answered"
    )


def _problems(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {"field": "file", "message": describe_problem(problem)}
        for problem in imports.outcome_problems(items)
    ]


def _answer(request: HttpRequest, outcome: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The status and body for an import's outcome, the same at once or from a job."""
    if outcome["outcome"] == "invalid":
        message = _("The file is not valid: nothing was saved.")
        return 422, error_body("invalid", message, _problems(outcome["problems"]))
    if outcome["outcome"] == "replace_needed":
        message = _(
            "Values are already saved for this period: nothing was replaced. Send the "
            "file again with replace=true to replace them (they stay in the history)."
        )
        return 409, error_body("replace_needed", message, _problems(outcome["warnings"]))
    url = reverse("api:submission_detail", kwargs={"submission_id": outcome["submission"]})
    body = {
        **{key: outcome[key] for key in ("outcome", "rows", "values", "replaced", "submission")},
        "submission_url": request.build_absolute_uri(url),
        "warnings": _problems(outcome["warnings"]),
    }
    return 201, body


def _job_out(request: HttpRequest, job: Any) -> ImportJobOut:
    url = reverse("api:import_status", kwargs={"job_id": job.pk})
    return ImportJobOut(id=job.pk, state=job.status, status_url=request.build_absolute_uri(url))


@router.post(
    "",
    response={**responses(ImportOut, 403, 404, 409, status=201), 202: ImportJobOut},
    auth=required_auth,
)
def file_import(request: HttpRequest, details: Form[ImportIn], file: File[UploadedFile]) -> Any:
    """Import a filled-in template (CSV or XLSX) into the organisation's submission.

    201: imported. 422: every problem of the file, nothing saved. 409: values are already
    saved and `replace` was not asked. 202: a large file, checked by a background job:
    follow `status_url`.
    """
    actor = request_actor(request)
    organisation = selectors.organisation_for_report(slug=details.organisation)
    require(actor, "measurement.submit_for", organisation)
    dataset = selectors.dataset_get(code=details.dataset)
    period = selectors.period_get(code=details.period)
    filename = (file.name or "")[:200]
    if imports.runs_in_background(file.size):
        job = imports.file_import_start(
            actor=actor,
            organisation=organisation,
            dataset=dataset,
            period=period,
            path=pending.store(file),
            filename=filename,
            submit=details.submit,
            replace=details.replace,
        )
        return Status(202, _job_out(request, job))
    try:
        result = submission_import(
            actor=actor,
            organisation=organisation,
            dataset=dataset,
            period=period,
            data=cast(BinaryIO, file),
            filename=filename,
            submit=details.submit,
            replace=details.replace,
        )
    except ReplaceNeeded as needed:
        outcome = imports.replace_needed_outcome(needed.preview)
    except SubmissionInvalid as invalid:
        outcome = imports.invalid_outcome(invalid.problems)
    except ValidationError as error:
        outcome = imports.invalid_outcome([Problem(message=m) for m in error.messages])
    else:
        outcome = imports.imported_outcome(result)
    return Status(*_answer(request, outcome))


@router.get(
    "/{job_id}",
    response=responses(ImportStatusOut, 404),
    auth=required_auth,
    url_name="import_status",
)
def import_status(request: HttpRequest, job_id: UUID) -> Any:
    """A background import's state and progress; once it succeeded, the import's answer.

    The stewards of the file's organisation and backbone staff may read it.
    """
    job = import_job_get(user=request.user, job_id=job_id)
    if job is None:
        return Status(404, error_body("not_found", _("Nothing was found at this address.")))
    status_code, result = None, None
    if job.status == job.Status.SUCCEEDED and job.result.get("outcome"):
        status_code, result = _answer(request, job.result)
    return ImportStatusOut(
        id=job.pk,
        state="failed" if job.is_stalled or job.worker_lost else job.status,
        progress=ProgressOut(done=job.progress_done, total=job.progress_total),
        status_code=status_code,
        result=result,
    )
