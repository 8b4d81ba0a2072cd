"""Writes behind the results: the story behind the curve, data reminders, full rebuilds."""

from collections.abc import Callable

from django.db import transaction

from collectif.core.actors import Actor, require
from collectif.core.models import Job
from collectif.core.results_version import results_version_bump
from collectif.core.services import audit_record, diff_fields, job_create, job_enqueue
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain import rollups
from collectif.measurement.models import Dataset, Indicator, Period
from collectif.measurement.selectors.results import REMINDER_JOB
from collectif.measurement.tasks import completeness_reminders


@transaction.atomic
def indicator_story_update(
    *, actor: Actor, indicator: Indicator, story_en: str, story_fr: str
) -> Indicator:
    """Staff tell what they have learned about the curve, in both languages.

    Only the languages that changed are written and audited, so an unchanged save
    leaves no trace and does not touch the row.
    """
    require(actor, "measurement.manage", indicator)
    before = {field: getattr(indicator, field, "") or "" for field in ("story_en", "story_fr")}
    after = {"story_en": story_en.strip(), "story_fr": story_fr.strip()}
    changes = diff_fields(before, after)
    if not changes:
        return indicator
    for field in changes:
        setattr(indicator, field, after[field])
    indicator.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        action=MeasurementAction.INDICATOR_STORY_UPDATE,
        target=indicator,
        changes=changes,
    )
    results_version_bump()
    return indicator


@transaction.atomic
def completeness_reminders_send(
    *, actor: Actor, period: Period, dataset: Dataset | None = None
) -> Job:
    """Queue reminder e-mails to the stewards of every organisation that still owes data.

    The e-mails go out in the background (one per organisation, bilingual); the job
    lets the person who asked follow the progress.
    """
    require(actor, "measurement.view_completeness")
    params = {"period": period.code, "dataset": dataset.code if dataset else ""}
    job = job_create(kind=REMINDER_JOB, actor=actor, params=params)
    audit_record(
        actor=actor,
        action=MeasurementAction.COMPLETENESS_REMINDERS_SEND,
        target=period,
        changes=params,
    )
    job_enqueue(job, completeness_reminders, period.pk, dataset.pk if dataset else None)
    return job


@transaction.atomic
def rollups_rebuild(*, actor: Actor, progress: Callable[[int], object] | None = None) -> int:
    """Recompute every rollup from the approved values, and say how many rows were written.

    Approval keeps the rollups current slice by slice; a full rebuild is the operator's
    check and repair after a restore or a change of aggregation code.
    """
    require(actor, "measurement.manage")
    written = rollups.rebuild_all(progress=progress)
    audit_record(actor=actor, action=MeasurementAction.ROLLUPS_REBUILD, changes={"rows": written})
    results_version_bump()
    return written
