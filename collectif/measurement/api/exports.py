"""`/api/v1/measurement/exports`: every approved value as a CSV or XLSX file.

The same export as the staff's export page: a million values take longer than a request
may last, so starting one answers 202 with the job's status address at once; the status
gives its progress, then the download address, which serves the file to the person who
started the export and to backbone staff only.
"""

from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from collectif.accounts.api_auth import required_auth
from collectif.core.actors import request_actor
from collectif.core.api_errors import responses
from collectif.core.models import Job
from collectif.measurement.selectors.exports import export_job_get
from collectif.measurement.services import exports

router = Router(tags=["measurement"], auth=required_auth)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The download's body is the file itself, not JSON: say so in the OpenAPI document.
FILE_BODY = {
    "responses": {
        200: {
            "description": "The file, as an attachment",
            "content": {
                media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for media_type in CONTENT_TYPES.values()
            },
        }
    }
}


class ExportIn(Schema):
    format: Literal["csv", "xlsx"] = Field(description="csv (UTF-8 with BOM) or xlsx")
    language: Literal["en", "fr"] | None = Field(
        None,
        description="Language of the headers and names (French CSV: ; and decimal commas); "
        "by default the request's",
    )


class ExportProgressOut(Schema):
    done: int
    total: int = Field(description="Approved values to write, once the job has started")


class ExportOut(Schema):
    id: UUID
    state: str = Field(description="queued, running, succeeded or failed")
    format: str
    language: str
    progress: ExportProgressOut
    rows: int | None = Field(description="Once succeeded: the values in the file")
    status_url: str = Field(description="Where to follow the job (GET)")
    download_url: str | None = Field(description="Once succeeded: where to get the file (GET)")


def _out(request: HttpRequest, job: Job) -> ExportOut:
    done = job.status == Job.Status.SUCCEEDED and bool(job.result_file)
    download = reverse("api:export_download", kwargs={"job_id": job.pk}) if done else None
    return ExportOut(
        id=job.pk,
        state=Job.Status.FAILED if job.is_stalled or job.worker_lost else job.status,
        format=job.params.get("format", ""),
        language=job.params.get("language", ""),
        progress=ExportProgressOut(done=job.progress_done, total=job.progress_total),
        rows=job.result.get("rows") if done else None,
        status_url=request.build_absolute_uri(
            reverse("api:export_status", kwargs={"job_id": job.pk})
        ),
        download_url=request.build_absolute_uri(download) if download else None,
    )


@router.post(
    "",
    response=responses(ExportOut, 403, status=202),
    url_name="export_start",
    summary="Start an export of every approved value",
)
def export_start(request: HttpRequest, details: ExportIn) -> Any:
    """Start exporting every approved value, for backbone staff; follow `status_url`."""
    job = exports.values_export_start(
        actor=request_actor(request),
        file_format=details.format,
        language=details.language or (get_language() or "en")[:2],
    )
    return Status(202, _out(request, job))


@router.get(
    "/{job_id}",
    response=responses(ExportOut, 404),
    url_name="export_status",
    summary="An export's state, progress and download address",
)
def export_status(request: HttpRequest, job_id: UUID) -> ExportOut:
    """An export's state and progress; once it succeeded, where to download the file."""
    job = export_job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    return _out(request, job)


@router.get(
    "/{job_id}/file",
    response=responses(None, 404),
    url_name="export_download",
    summary="Download an export's file",
    openapi_extra=FILE_BODY,
)
def export_download(request: HttpRequest, job_id: UUID) -> FileResponse:
    """The exported file; 404 until the export has succeeded."""
    job = export_job_get(user=request.user, job_id=job_id)
    if job is None or job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = Path(job.result_file.name).name
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(job.params.get("format", ""), "application/octet-stream"),
    )
