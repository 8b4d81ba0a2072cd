"""Reading an export job: the person who started it, and backbone staff."""

from typing import Any

from django.core.exceptions import ValidationError

from collectif.core.models import Job
from collectif.core.selectors import job_get_for
from collectif.measurement.services.exports import EXPORT_JOB_KIND


def export_job_get(*, user: Any, job_id: Any) -> Job | None:
    """The export job, if `user` may see it (None otherwise, as for a job that is not one).

    The file holds every organisation's values, so the same rule as the job's web page
    applies: its starter or staff, never whoever happens to know its id.
    """
    try:
        job = job_get_for(job_id=job_id, user=user)
    except ValidationError:
        return None
    if job is None or job.kind != EXPORT_JOB_KIND:
        return None
    return job
