"""Writes of the common agenda: the versions of the strategic plan.

There is one original plan (what progress is compared with) and one current plan at a
time; the database refuses a second of either, and these services say so in words
before it has to. Targets set against a version are measurement's, not written here.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.agenda.audit import AgendaAction
from collectif.agenda.models import PlanVersion
from collectif.agenda.permissions import MANAGE
from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import assign, audit_record, field_values, save_changed


@dataclass(frozen=True)
class PlanVersionData:
    """What people write about a plan version; the name and notes in both languages."""

    number: int
    name_en: str
    name_fr: str
    adopted_on: date
    is_original: bool = False
    is_current: bool = False
    notes_en: str = ""
    notes_fr: str = ""


def _check_single_original(plan: PlanVersion) -> None:
    if not plan.is_original:
        return
    other = PlanVersion.objects.filter(is_original=True).exclude(pk=plan.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "is_original": _(
                    "%(plan)s is already the original plan. There is only one: it is what "
                    "progress is compared with."
                )
                % {"plan": other.name}
            },
            code="one_original",
        )


def _retire_current(plan: PlanVersion) -> None:
    """Only one plan is current: making this one current retires the one before."""
    if plan.is_current:
        PlanVersion.objects.filter(is_current=True).exclude(pk=plan.pk).update(is_current=False)


@transaction.atomic
def plan_version_create(*, actor: Actor, data: PlanVersionData) -> PlanVersion:
    """A new version of the plan; marking it current retires the previous current one."""
    require(actor, MANAGE)
    plan = PlanVersion(name=data.name_en, **field_values(data))
    _check_single_original(plan)
    _retire_current(plan)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=AgendaAction.PLAN_VERSION_CREATE,
        target=plan,
        changes={
            "number": data.number,
            "is_original": data.is_original,
            "is_current": data.is_current,
        },
    )
    results_version_bump()
    return plan


@transaction.atomic
def plan_version_update(*, actor: Actor, plan: PlanVersion, data: PlanVersionData) -> PlanVersion:
    """Change a plan version, writing only the fields that changed. Making it current
    retires the previous current version.

    The previous values are read from the database, not from `plan`, which the caller
    may already have changed in memory."""
    require(actor, MANAGE)
    changes = assign(plan, field_values(data))
    _check_single_original(plan)
    _retire_current(plan)
    plan.full_clean()
    save_changed(plan, changes)
    audit_record(actor=actor, action=AgendaAction.PLAN_VERSION_UPDATE, target=plan, changes=changes)
    results_version_bump()
    return plan
