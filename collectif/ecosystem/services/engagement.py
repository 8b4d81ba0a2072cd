"""Every write about the engagement pipeline: record a step, move on, assign an owner.

A step is an `EngagementEvent`, never edited afterwards; the organisation's `Engagement`
row follows it (stage, since when, next step), so the board reads one row per
organisation and the history stays what happened.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from collectif.accounts.models import User
from collectif.core.actors import Actor, require
from collectif.core.formatting import long_date
from collectif.core.services import audit_record
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.domain.engagement import START, as_stage, move_allowed, site_today
from collectif.ecosystem.models import Channel, Engagement, EngagementEvent, Organisation, Stage
from collectif.ecosystem.selectors import engagement as selectors

NOTE_MAX_LENGTH = 2000
NEXT_STEP_MAX_LENGTH = 300


def _refuse_archived(organisation: Organisation) -> None:
    """An archived organisation has left the pipeline: its history stays as it was."""
    if organisation.archived_at is not None:
        raise ValidationError(
            _("%(organisation)s is archived: restore it before recording a step."),
            code="archived",
            params={"organisation": organisation},
        )


def _locked_engagement(organisation: Organisation) -> Engagement | None:
    """The row, locked, so two people recording at once cannot both move from one stage."""
    return Engagement.objects.select_for_update().filter(organisation=organisation).first()


def _stage_errors(organisation: Organisation, current: str, to_stage: str) -> list[ValidationError]:
    stage = as_stage(to_stage)
    if stage is None:
        return [ValidationError(_("Choose one of the pipeline's stages."), code="invalid")]
    if not move_allowed(current, stage):
        return [
            ValidationError(
                _(
                    "%(organisation)s is at the stage “%(current)s”: it cannot go from there "
                    "to “%(stage)s”. An organisation moves forward, or to declined or "
                    "dormant, and starts again from there at identified or approached."
                ),
                code="not_allowed",
                params={
                    "organisation": organisation,
                    "current": Stage(current).label,
                    "stage": stage.label,
                },
            )
        ]
    return []


def _date_errors(
    organisation: Organisation, *, changes_stage: bool, happened_on: date, due: date | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if happened_on > site_today():
        errors["happened_on"] = [
            ValidationError(_("The date cannot be in the future."), code="future")
        ]
    last = selectors.last_step_on(organisation=organisation) if changes_stage else None
    if last is not None and happened_on < last:
        errors.setdefault("happened_on", []).append(
            ValidationError(
                _("A change of stage cannot be dated before the last step recorded, on %(date)s."),
                code="before_last",
                params={"date": long_date(last)},
            )
        )
    if due is not None and due < happened_on:
        errors["next_step_due"] = [
            ValidationError(
                _("The next step cannot be due before the date of this step."), code="before"
            )
        ]
    return errors


def _next_step_errors(
    *, next_step: str, owner: User | None, due: date | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if len(next_step) > NEXT_STEP_MAX_LENGTH:
        errors["next_step"] = [
            ValidationError(
                _("Describe the next step in %(limit)s characters or fewer."),
                code="max_length",
                params={"limit": NEXT_STEP_MAX_LENGTH},
            )
        ]
    elif not next_step and (owner is not None or due is not None):
        errors["next_step"] = [
            ValidationError(
                _("Say what the next step is, or leave its owner and date empty."),
                code="required",
            )
        ]
    if owner is not None and not selectors.is_staff_person(owner):
        errors["next_step_owner"] = [
            ValidationError(
                _("The next step's owner must be a member of the backbone staff."),
                code="not_staff",
            )
        ]
    return errors


@transaction.atomic
def engagement_record(
    *,
    actor: Actor,
    organisation: Organisation,
    to_stage: str,
    happened_on: date,
    channel: str,
    note: str = "",
    next_step: str = "",
    next_step_owner: User | None = None,
    next_step_due: date | None = None,
) -> EngagementEvent:
    """Record one step with an organisation: who, when, how, and what comes next.

    The step replaces the organisation's next step (a blank one clears it: the previous
    one was done). Every problem is reported at once, and nothing is written unless
    the whole step is valid.
    """
    require(actor, "ecosystem.manage_pipeline", organisation)
    _refuse_archived(organisation)
    engagement = _locked_engagement(organisation)
    current = engagement.stage if engagement is not None else START.value
    note, next_step = note.strip(), next_step.strip()
    errors: dict[str, list[ValidationError]] = {}
    stage_errors = _stage_errors(organisation, current, to_stage)
    if stage_errors:
        errors["to_stage"] = stage_errors
    if channel not in Channel.values:
        errors["channel"] = [ValidationError(_("Choose how it happened."), code="invalid")]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [
            ValidationError(
                _("Keep the note to %(limit)s characters or fewer."),
                code="max_length",
                params={"limit": NOTE_MAX_LENGTH},
            )
        ]
    errors.update(
        _date_errors(
            organisation,
            changes_stage=to_stage != current,
            happened_on=happened_on,
            due=next_step_due,
        )
    )
    errors.update(_next_step_errors(next_step=next_step, owner=next_step_owner, due=next_step_due))
    if errors:
        raise ValidationError(errors)

    person = actor if isinstance(actor, User) else None
    event = EngagementEvent.objects.create(
        organisation=organisation,
        from_stage=current,
        to_stage=to_stage,
        happened_on=happened_on,
        channel=channel,
        note=note,
        next_step=next_step,
        next_step_owner=next_step_owner,
        next_step_due=next_step_due,
        recorded_by=person,
    )
    if engagement is None:
        engagement = Engagement(organisation=organisation, stage=to_stage, stage_since=happened_on)
    elif to_stage != current:
        engagement.stage, engagement.stage_since = to_stage, happened_on
    engagement.next_step = next_step
    engagement.next_step_owner = next_step_owner
    engagement.next_step_due = next_step_due
    engagement.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.ENGAGEMENT_RECORD,
        target=event,
        changes={
            "to_stage": [current, to_stage],
            "happened_on": happened_on,
            "channel": channel,
            "next_step": next_step,
            "next_step_due": next_step_due,
        },
    )
    return event


@transaction.atomic
def engagement_move(*, actor: Actor, organisation: Organisation, to_stage: str) -> EngagementEvent:
    """The board's one-click move, dated today; the next step already set is kept.

    Recording a full step would replace the next step (and refuse one already overdue,
    whose date now precedes the step's); a quick move only changes the stage.
    """
    require(actor, "ecosystem.manage_pipeline", organisation)
    _refuse_archived(organisation)
    engagement = _locked_engagement(organisation)
    current = engagement.stage if engagement is not None else START.value
    today = site_today()
    errors = _stage_errors(organisation, current, to_stage)
    if not errors and to_stage == current:
        errors = [ValidationError(_("It is already at this stage."), code="same")]
    if errors:
        raise ValidationError({"to_stage": errors})
    last = selectors.last_step_on(organisation=organisation)
    happened_on = max(today, last) if last is not None else today
    event = EngagementEvent.objects.create(
        organisation=organisation,
        from_stage=current,
        to_stage=to_stage,
        happened_on=happened_on,
        channel=Channel.OTHER,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    if engagement is None:
        engagement = Engagement(organisation=organisation)
    engagement.stage, engagement.stage_since = to_stage, happened_on
    engagement.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.ENGAGEMENT_MOVE,
        target=event,
        changes={"to_stage": [current, to_stage]},
    )
    return event


@transaction.atomic
def engagement_assign(
    *, actor: Actor, organisation: Organisation, owner: User | None
) -> Engagement:
    """Name the staff member who looks after the relationship (None: nobody)."""
    require(actor, "ecosystem.manage_pipeline", organisation)
    if owner is not None and not selectors.is_staff_person(owner):
        raise ValidationError(
            {
                "owner": ValidationError(
                    _("The relationship's owner must be a member of the backbone staff."),
                    code="not_staff",
                )
            }
        )
    engagement = _locked_engagement(organisation)
    if engagement is None:
        engagement = Engagement(organisation=organisation, stage=START, stage_since=site_today())
    before = engagement.owner
    engagement.owner = owner
    engagement.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.ENGAGEMENT_ASSIGN,
        target=engagement,
        changes={"owner": [str(before or ""), str(owner or "")]},
    )
    return engagement
