"""Writes behind the results pages: the story behind the curve and data reminders."""

from typing import Any

from django.db import transaction

from collectif.accounts.permissions import require_backbone_staff
from collectif.core.models import Job
from collectif.core.services import audit_record, diff_fields, enqueue_on_commit, job_create
from collectif.measurement.models import Dataset, Indicator, Period

REMINDER_JOB = "measurement.completeness_reminders"


@transaction.atomic
def indicator_story_update(
    *, actor: Any, indicator: Indicator, story_en: str, story_fr: str
) -> Indicator:
    """Staff tell what they have learned about the curve, in both languages."""
    require_backbone_staff(actor)
    before = {field: getattr(indicator, field, "") or "" for field in ("story_en", "story_fr")}
    after = {"story_en": story_en.strip(), "story_fr": story_fr.strip()}
    changes = diff_fields(before, after)
    if not changes:
        return indicator
    for field, value in after.items():
        setattr(indicator, field, value)
    indicator.save(update_fields=["story_en", "story_fr", "updated_at"])
    audit_record(actor=actor, action="indicator.story_update", target=indicator, changes=changes)
    return indicator


@transaction.atomic
def completeness_reminders_send(
    *, actor: Any, period: Period, dataset: Dataset | None = None
) -> Job:
    """Queue reminder e-mails to the stewards of every organisation that still owes data.

    The e-mails go out in the background (one per organisation, bilingual); the job
    lets the person who asked follow the progress.
    """
    from collectif.measurement.tasks import completeness_reminders

    require_backbone_staff(actor)
    params = {"period": period.code, "dataset": dataset.code if dataset else ""}
    job = job_create(kind=REMINDER_JOB, actor=actor, params=params)
    audit_record(actor=actor, action="measurement.reminders_send", target=period, changes=params)
    enqueue_on_commit(
        completeness_reminders, str(job.pk), period.pk, dataset.pk if dataset else None
    )
    return job
