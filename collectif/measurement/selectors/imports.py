"""Reading a background import's job: its uploader's organisation's stewards, and staff."""

from typing import Any

from django.core.exceptions import ValidationError

from collectif.core.actors import actor_may
from collectif.core.models import Job
from collectif.ecosystem.models import Organisation
from collectif.measurement.services.imports import IMPORT_JOB_KIND


def import_job_get(*, user: Any, job_id: Any, organisation_slug: str = "") -> Job | None:
    """The import job, if `user` may report for its organisation (None otherwise).

    The whole organisation's stewards may follow it, not only the uploader: they share
    the submission the file goes into. With `organisation_slug`, the job must be for it.
    """
    try:
        job = Job.objects.filter(pk=job_id, kind=IMPORT_JOB_KIND).first()
    except ValidationError:
        return None
    if job is None:
        return None
    slug = job.params.get("organisation", "")
    if organisation_slug and slug != organisation_slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not actor_may(user, "measurement.submit_for", organisation):
        return None
    return job
