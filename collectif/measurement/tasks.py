"""Background work for results: the bilingual reminder to organisations late with data."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from collectif.core.actors import SYSTEM
from collectif.core.models import Job
from collectif.core.services import job_advance, job_fail, job_start, job_succeed
from collectif.ecosystem.models import Organisation
from collectif.measurement.files import exports
from collectif.measurement.models import Dataset, Period
from collectif.measurement.selectors import results
from collectif.measurement.services.exports import values_export_save
from collectif.measurement.services.imports import file_import_run


def _languages_first(language: str) -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    return [language, *[c for c in codes if c != language]] if language in codes else codes


def _part(
    organisation: Organisation, period: Period, *, datasets: list[Dataset], language: str
) -> dict[str, Any]:
    with translation.override(language):
        context: dict[str, Any] = {
            "language": language,
            "initiative": settings.COLLECTIF[f"INITIATIVE_NAME_{language.upper()}"],
            "organisation": getattr(organisation, f"name_{language}", "") or organisation.name,
            "period": period.label,
            "deadline": period.deadline,
            "datasets": [getattr(d, f"name_{language}", "") or d.name for d in datasets],
            "url": settings.SITE_URL.rstrip("/") + reverse("core:dashboard"),
        }
        context["subject"] = _("Reminder: %(organisation)s's data for %(period)s") % context
        context["text"] = render_to_string(
            "measurement/email/completeness_reminder_part.txt", context
        )
        context["html"] = render_to_string(
            "measurement/email/completeness_reminder_part.html", context
        )
        return context


def reminder_email(
    *,
    organisation: Organisation,
    period: Period,
    datasets: list[Dataset],
    to: list[str],
    language: str,
) -> EmailMultiAlternatives:
    """One message in both languages, the stewards' usual language first."""
    parts = [
        _part(organisation, period, datasets=datasets, language=code)
        for code in _languages_first(language)
    ]
    subject = " / ".join(part["subject"] for part in parts)
    context = {"parts": parts, "subject": subject, "language": language}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("measurement/email/completeness_reminder.txt", context),
        to=to,
        headers={"Content-Language": ", ".join(part["language"] for part in parts)},
    )
    message.attach_alternative(
        render_to_string("measurement/email/completeness_reminder.html", context), "text/html"
    )
    return message


@task()
def completeness_reminders(job_id: str, period_id: int, dataset_id: int | None) -> int:
    """E-mail the stewards of each organisation still owing data; returns e-mails sent.

    Who is late is read when the task runs, not when it was queued, so an organisation
    that submitted in between is not reminded.
    """
    try:
        period, dataset = results.reminder_scope(period_id=period_id, dataset_id=dataset_id)
        owing: dict[int, list[Dataset]] = {}
        organisations: dict[int, Organisation] = {}
        for row in results.completeness(period, dataset):
            if not row.reported:
                owing.setdefault(row.organisation.pk, []).append(row.dataset)
                organisations[row.organisation.pk] = row.organisation
        stewards = results.steward_contacts(owing)
        job_start(job_id=job_id, total=len(owing))
        sent = 0
        without_steward = 0
        reminded: list[int] = []
        for organisation_id, datasets in sorted(owing.items()):
            people = stewards.get(organisation_id, [])
            if people:
                languages = [language for _email, language in people]
                language = max(set(languages), key=languages.count)
                reminder_email(
                    organisation=organisations[organisation_id],
                    period=period,
                    datasets=datasets,
                    to=sorted(email for email, _language in people),
                    language=language,
                ).send()
                sent += 1
                reminded.append(organisation_id)
            else:
                without_steward += 1
            job_advance(job_id=job_id, message=organisations[organisation_id].name)
        summary = []
        for language in _languages_first(settings.LANGUAGE_CODE):
            with translation.override(language):
                summary.append(
                    ngettext(
                        "%(sent)s organisation reminded.",
                        "%(sent)s organisations reminded.",
                        sent,
                    )
                    % {"sent": sent}
                )
        job_advance(job_id=job_id, by=0, message=" / ".join(summary))
        # Who was written to, so the completeness page can say when each was last reminded.
        job_succeed(
            job_id=job_id,
            result={"sent": sent, "without_steward": without_steward, "organisations": reminded},
        )
        return sent
    except Exception as exc:
        job_fail(job_id=job_id, error=str(exc))
        raise


def _write_export(job: Job, folder: str) -> tuple[Path, str, int]:
    """Write the file to a private temporary folder; returns it, its name and its rows."""
    file_format = job.params.get("format", "csv")
    language = job.params.get("language", "en")
    name = f"approved-values-{timezone.localdate():%Y-%m-%d}.{file_format}"
    path = Path(folder) / name

    def advance(by: int) -> None:
        job_advance(job_id=job.pk, by=by)

    if file_format == "xlsx":
        count = exports.write_xlsx(path, language, progress=advance)
    else:
        with path.open("w", encoding="utf-8", newline="") as stream:
            count = exports.write_csv(stream, language, progress=advance)
    return path, name, count


@task()
def values_export(job_id: str) -> str:
    """Write every approved value to a CSV or XLSX file a person downloads from the job page.

    The rows stream from a database iterator to a file on disk (`core.xlsx_stream` for
    XLSX), so memory stays flat whatever the number of values; the job's progress moves
    every `exports.PROGRESS_EVERY` rows.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return ""
    try:
        job_start(job_id=job.pk, total=results.approved_values().count())
        with tempfile.TemporaryDirectory(prefix="collectif-export-") as folder:
            path, filename, count = _write_export(job, folder)
            name = values_export_save(
                actor=SYSTEM, job_id=str(job.pk), filename=filename, written=path
            )
    except Exception as exc:
        job_fail(job_id=job.pk, error=repr(exc))
        raise
    job_succeed(job_id=job.pk, result={"rows": count, "file": name})
    return name


@task()
def file_import(job_id: str) -> str:
    """Check and import a large partner file (`services.imports`); returns its outcome."""
    try:
        return file_import_run(job_id=job_id)
    except Exception as exc:
        job_fail(job_id=job_id, error=repr(exc))
        raise
