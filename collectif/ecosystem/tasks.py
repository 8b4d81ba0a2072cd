"""Background work for organisations: the CSV export a staff member asks for, and the
network map's metrics."""

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from collectif.core.actors import SYSTEM
from collectif.core.formatting import csv_delimiter
from collectif.core.models import Job
from collectif.core.services import job_advance, job_fail, job_start, job_succeed
from collectif.core.spreadsheets import neutralise
from collectif.ecosystem.domain.network import STEPS
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.selectors import network as network_selectors
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.services import network as network_services
from collectif.ecosystem.services import organisations as services

LIST_FILTERS = ("q", "sector", "province", "equity", "include_archived", "needs_steward", "sort")


def _headers() -> list[str]:
    return [
        _("Short name"),
        _("Name (English)"),
        _("Name (French)"),
        _("Description (English)"),
        _("Description (French)"),
        _("Sector"),
        _("Head office province or territory"),
        _("Provinces and territories served"),
        _("Website"),
        _("Size"),
        _("Listed publicly"),
        _("Archived on"),
        _("Added on"),
    ]


def _row(organisation: Organisation) -> list[str]:
    texts = selectors.translated_values(organisation)
    return [
        neutralise(value)
        for value in (
            organisation.slug,
            texts["name_en"],
            texts["name_fr"],
            texts["description_en"],
            texts["description_fr"],
            organisation.sector.name,
            organisation.head_office_province.name,
            "; ".join(p.name for p in organisation.provinces_served.all()),
            organisation.website,
            organisation.get_size_band_display() if organisation.size_band else "",
            _("Yes") if organisation.is_public else _("No"),
            organisation.archived_at.date().isoformat() if organisation.archived_at else "",
            organisation.created_at.date().isoformat(),
        )
    ]


@task()
def organisation_export_csv(job_id: str) -> str:
    """Write the organisations the person was looking at to a CSV file Excel opens as is.

    The file is UTF-8 with a byte-order mark, which Excel needs to show accents, and
    the headers and sector and province names are in the language of the person who
    asked for it.
    """
    job = selectors.export_job_get(job_id=job_id)
    if job is None:
        return ""
    try:
        filters = {k: v for k, v in job.params.get("filters", {}).items() if k in LIST_FILTERS}
        with translation.override(job.params.get("language", "en")):
            organisations = list(selectors.organisation_list(user=job.created_by, **filters))
            job_start(job_id=job.pk, total=len(organisations))
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=csv_delimiter())
            writer.writerow(_headers())
            for organisation in organisations:
                writer.writerow(_row(organisation))
                job_advance(job_id=job.pk)
        filename = f"organisations-{timezone.localdate().isoformat()}.csv"
        name = services.organisation_export_save(
            actor=SYSTEM,
            job_id=str(job.pk),
            filename=filename,
            content=buffer.getvalue().encode("utf-8-sig"),
        )
    except Exception as exc:
        job_fail(job_id=job.pk, error=repr(exc))
        raise
    job_succeed(job_id=job.pk, result={"rows": len(organisations), "file": name})
    return name


def _step_message(job: Job, step: str) -> str:
    """What the job's page says it has just done, in the language of who asked."""
    labels = {
        "ties": gettext_lazy("Ties counted"),
        "bridging": gettext_lazy("Bridging measured"),
        "closeness": gettext_lazy("Closeness measured"),
        "communities": gettext_lazy("Communities found"),
        "layout": gettext_lazy("Organisations placed on the map"),
    }
    with translation.override(job.params.get("language", "en")):
        return str(labels.get(step, step))


@task()
def network_analyse(job_id: str) -> str:
    """Compute the network's metrics (`services.network.network_analysis_run`).

    If the relationships changed while it ran, it asks for another run once it is done,
    so the last write is always analysed.
    """
    job = network_selectors.analysis_job_get(job_id=job_id)
    if job is None:
        return ""
    try:
        job_start(job_id=job.pk, total=2 * len(STEPS))  # two analyses
        # Read before the run's own reading: a write in between only means one run more.
        version = network_selectors.relationships_version()
        stored = network_services.network_analysis_run(
            actor=SYSTEM,
            job=job,
            progress=lambda step: job_advance(job_id=job.pk, message=_step_message(job, step)),
        )
    except Exception as exc:
        job_fail(job_id=job.pk, error=repr(exc))
        raise
    job_succeed(job_id=job.pk, result={"analyses": stored, "version": version})
    if network_selectors.relationships_version() != version:
        network_services.network_analysis_request(actor=SYSTEM)
    return version
