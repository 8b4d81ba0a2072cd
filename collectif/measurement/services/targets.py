"""Writes of the baselines and targets: where the movement started and where each
version of the plan aims to be. Plan versions themselves are agenda's; these services
only set figures against them."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.agenda.models import PlanVersion
from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import audit_record
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import CANADA, Baseline, Indicator, Period, Target
from collectif.measurement.permissions import MANAGE


def _check_target_value(indicator: Indicator, value: Decimal, field: str) -> None:
    if value < 0:
        raise ValidationError({field: _("Enter a number of 0 or more.")}, code="negative")
    if indicator.unit == Indicator.Unit.PERCENT and value > 100:
        raise ValidationError({field: _("Enter a percentage from 0 to 100.")}, code="percent")


@transaction.atomic
def baseline_set(
    *,
    actor: Actor,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
    source_en: str = "",
    source_fr: str = "",
) -> Baseline:
    require(actor, MANAGE)
    _check_target_value(indicator, value, "value")
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator,
        region=region,
        defaults={"period": period, "value": value, "source_en": source_en, "source_fr": source_fr},
    )
    audit_record(
        actor=actor,
        action=MeasurementAction.BASELINE_SET,
        target=baseline,
        changes={"indicator": indicator.code, "period": period.code, "value": value},
    )
    results_version_bump()
    return baseline


@transaction.atomic
def baseline_remove(*, actor: Actor, indicator: Indicator, region: str = CANADA) -> bool:
    """Remove the indicator's baseline for a region; says whether there was one."""
    require(actor, MANAGE)
    removed, _details = Baseline.objects.filter(indicator=indicator, region=region).delete()
    if removed:
        audit_record(
            actor=actor,
            action=MeasurementAction.BASELINE_REMOVE,
            target=indicator,
            changes={"indicator": indicator.code},
        )
        results_version_bump()
    return bool(removed)


@transaction.atomic
def target_set(
    *,
    actor: Actor,
    plan_version: PlanVersion,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
) -> Target:
    require(actor, MANAGE)
    _check_target_value(indicator, value, "value")
    target, _created = Target.objects.update_or_create(
        plan_version=plan_version,
        indicator=indicator,
        region=region,
        period=period,
        defaults={"value": value},
    )
    audit_record(
        actor=actor,
        action=MeasurementAction.TARGET_SET,
        target=target,
        changes={"plan": plan_version.number, "indicator": indicator.code, "value": value},
    )
    results_version_bump()
    return target


@transaction.atomic
def target_remove(
    *,
    actor: Actor,
    plan_version: PlanVersion,
    indicator: Indicator,
    period: Period,
    region: str = CANADA,
) -> bool:
    """Remove one target of a plan version; says whether there was one."""
    require(actor, MANAGE)
    removed, _details = Target.objects.filter(
        plan_version=plan_version, indicator=indicator, region=region, period=period
    ).delete()
    if removed:
        audit_record(
            actor=actor,
            action=MeasurementAction.TARGET_REMOVE,
            target=indicator,
            changes={"plan": plan_version.number, "period": period.code},
        )
        results_version_bump()
    return bool(removed)


@dataclass(frozen=True)
class TargetInput:
    """One cell of the targets table; `value` None clears the target. `field` names the
    form field an error belongs to."""

    plan_version: PlanVersion
    period: Period
    value: Decimal | None
    field: str = "value"


def _check_plan(
    *,
    indicator: Indicator,
    baseline_period: Period | None,
    baseline_value: Decimal | None,
    targets: Sequence[TargetInput],
) -> None:
    """Every value of the page checked before anything is written."""
    if (baseline_period is None) != (baseline_value is None):
        field = "baseline_value" if baseline_value is None else "baseline_period"
        raise ValidationError(
            {field: _("Give both the baseline’s period and its value, or neither.")},
            code="incomplete",
        )
    if baseline_value is not None:
        _check_target_value(indicator, baseline_value, "baseline_value")
    for cell in targets:
        if cell.value is not None:
            _check_target_value(indicator, cell.value, cell.field)


@transaction.atomic
def indicator_plan_set(
    *,
    actor: Actor,
    indicator: Indicator,
    baseline_period: Period | None,
    baseline_value: Decimal | None,
    baseline_source_en: str = "",
    baseline_source_fr: str = "",
    targets: Sequence[TargetInput] = (),
) -> None:
    """Set the Canada baseline and the yearly targets of every plan version at once.

    All or nothing: every value is checked before anything is written, and any error
    rolls the whole change back, so the chart never mixes old and new targets. With no
    baseline period and value the baseline is removed."""
    require(actor, MANAGE)
    _check_plan(
        indicator=indicator,
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        targets=targets,
    )
    if baseline_period is not None and baseline_value is not None:
        baseline_set(
            actor=actor,
            indicator=indicator,
            period=baseline_period,
            value=baseline_value,
            source_en=baseline_source_en,
            source_fr=baseline_source_fr,
        )
    else:
        baseline_remove(actor=actor, indicator=indicator)
    for cell in targets:
        if cell.value is None:
            target_remove(
                actor=actor, plan_version=cell.plan_version, indicator=indicator, period=cell.period
            )
        else:
            target_set(
                actor=actor,
                plan_version=cell.plan_version,
                indicator=indicator,
                period=cell.period,
                value=cell.value,
            )
