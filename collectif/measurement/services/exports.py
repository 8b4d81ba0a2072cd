"""Exports of every approved value, started from the web and written by a task worker.

A million values take longer than any web request may last, so the page only queues
the work; the job page follows its progress and offers the file when it is ready.
"""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from collectif.core.actors import Actor, require
from collectif.core.models import Job
from collectif.core.services import audit_record, job_create, job_enqueue
from collectif.measurement.audit import MeasurementAction

EXPORT_JOB_KIND = "measurement.values_export"
FORMATS = ("csv", "xlsx")


def values_export_start(*, actor: Actor, file_format: str, language: str) -> Job:
    """Queue the export; the file's headers and names are in `language`."""
    from collectif.measurement.tasks import values_export

    require(actor, "measurement.export")
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format: {file_format}")
    with transaction.atomic():
        job = job_create(
            kind=EXPORT_JOB_KIND,
            actor=actor,
            params={"format": file_format, "language": language},
        )
        audit_record(
            actor=actor,
            action=MeasurementAction.VALUES_EXPORT_START,
            target=job,
            changes={"format": file_format, "language": language},
        )
        job_enqueue(job, values_export)
    return job


@transaction.atomic
def values_export_save(*, actor: Actor, job_id: str, filename: str, written: Path) -> str:
    """Keep the written file (copied in chunks, never read whole) for the download link."""
    require(actor, "measurement.export")
    with written.open("rb") as handle:
        name = default_storage.save(f"jobs/exports/{filename}", File(handle, name=filename))
    Job.objects.filter(pk=job_id).update(result_file=name)
    return name
