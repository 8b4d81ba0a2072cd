"""Reference data of the shared measurement system, managed by backbone staff.

Indicators, periods, datasets and who reports them, dimensions, validation rules, plan
versions, baselines and targets. The demo loads its movement through these too.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from collectif.accounts.permissions import require_backbone_staff
from collectif.agenda.models import PlanVersion
from collectif.core.services import audit_record, diff_fields
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain import rollups
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.models import (
    CANADA,
    Baseline,
    Dataset,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Rollup,
    Submission,
    Target,
    ValidationRule,
    Value,
)

NEXT_QUARTERS = 4
WINDOW_OPENS_BEFORE_END = timedelta(days=14)
DEADLINE_AFTER_END = timedelta(days=30)


def _set_dimensions(indicator: Indicator, dimensions: Iterable[str | Dimension]) -> None:
    indicator.dimensions.set(
        [d if isinstance(d, Dimension) else Dimension.objects.get(code=d) for d in dimensions]
    )


def _dimension_codes(indicator: Indicator) -> list[str]:
    return sorted(indicator.dimensions.values_list("code", flat=True))


def _rebuild_indicator_rollups(indicator: Indicator) -> int:
    """Recompute every slice of the indicator (and those it weights) from approved values,
    so a change in how it combines reaches the dashboards with the change itself."""
    periods = set(
        Value.objects.filter(indicator=indicator, submission__status=Submission.Status.APPROVED)
        .values_list("period_id", flat=True)
        .distinct()
    ) | set(Rollup.objects.filter(indicator=indicator).values_list("period_id", flat=True))
    slices: set[tuple[int, int]] = set()
    for period_id in periods:
        slices |= rollups.slices_touched([indicator.pk], period_id)
    return rollups.rebuild_slices(slices)


def _assign(instance: Model, fields: dict[str, Any]) -> dict[str, Any]:
    """Set `fields` on the instance; return their stored values, for the audit diff.

    The stored row is read rather than the instance: a form may already have changed
    the object in memory."""
    stored = type(instance)._default_manager.get(pk=instance.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    return before


@transaction.atomic
def indicator_create(
    *, actor: Any, code: str, dimensions: Iterable[str | Dimension] = (), **fields: Any
) -> Indicator:
    """`fields` are Indicator's own fields (name_en, name_fr, kind, unit, aggregation...)."""
    require_backbone_staff(actor)
    indicator = Indicator(code=code, **fields)
    indicator.full_clean()
    indicator.save()
    _set_dimensions(indicator, dimensions)
    audit_record(
        actor=actor,
        action="measurement.indicator_create",
        target=indicator,
        changes={"code": code, "dimensions": _dimension_codes(indicator), **fields},
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: Indicator,
    dimensions: Iterable[str | Dimension] | None = None,
    **fields: Any,
) -> Indicator:
    """Change an indicator; when how it combines or what it is broken down by changes,
    its rollups are rebuilt in the same transaction so no dashboard shows stale totals.

    The previous state is read from the database, not from `indicator`: a form may
    already have changed the object in memory."""
    require_backbone_staff(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = {name: getattr(stored, name) for name in fields}
    shape_before = (stored.aggregation, stored.weight_indicator_id, _dimension_codes(stored))
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    if dimensions is not None:
        _set_dimensions(indicator, dimensions)
    changes = diff_fields(before, fields)
    dimension_codes = _dimension_codes(indicator)
    if dimension_codes != shape_before[2]:
        changes["dimensions"] = [shape_before[2], dimension_codes]
    if (indicator.aggregation, indicator.weight_indicator_id, dimension_codes) != shape_before:
        changes["rollups_rebuilt"] = _rebuild_indicator_rollups(indicator)
    audit_record(
        actor=actor,
        action="measurement.indicator_update",
        target=indicator,
        changes=changes,
    )
    return indicator


def _check_window(opens_on: date | None, deadline: date | None) -> None:
    if deadline is not None and opens_on is not None and deadline < opens_on:
        raise ValidationError(
            {"deadline": _("The deadline must come after the window opens.")}, code="order"
        )


@transaction.atomic
def period_create(
    *, actor: Any, code: str, opens_on: date | None = None, deadline: date | None = None
) -> Period:
    """A period from its canonical code; its dates follow from the code."""
    require_backbone_staff(actor)
    try:
        span = parse_period(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from None
    if Period.objects.filter(code=span.code).exists():
        raise ValidationError(
            {"code": _("The period %(code)s already exists.") % {"code": span.code}},
            code="duplicate",
        )
    _check_window(opens_on, deadline)
    period = Period(
        code=span.code,
        kind=span.kind,
        start=span.start,
        end=span.end,
        opens_on=opens_on,
        deadline=deadline,
    )
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        action="measurement.period_create",
        target=period,
        changes={"code": span.code, "opens_on": opens_on, "deadline": deadline},
    )
    return period


@transaction.atomic
def period_update(
    *, actor: Any, period: Period, opens_on: date | None, deadline: date | None
) -> Period:
    """Move a period's submission window; its dates stay those of its code."""
    require_backbone_staff(actor)
    _check_window(opens_on, deadline)
    before = {"opens_on": period.opens_on, "deadline": period.deadline}
    period.opens_on, period.deadline = opens_on, deadline
    period.save(update_fields=["opens_on", "deadline"])
    audit_record(
        actor=actor,
        action="measurement.period_update",
        target=period,
        changes=diff_fields(before, {"opens_on": opens_on, "deadline": deadline}),
    )
    return period


def _quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


@transaction.atomic
def period_create_next_quarters(*, actor: Any, today: date | None = None) -> list[Period]:
    """The quarter in progress and the three after it, each with the usual window (opens
    two weeks before the quarter ends, closes 30 days after). Quarters that exist already
    are left as they are, so pressing the button twice creates nothing more."""
    require_backbone_staff(actor)
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    created = []
    for _step in range(NEXT_QUARTERS):
        span = parse_period(_quarter_code(year, quarter))
        period, was_created = Period.objects.get_or_create(
            code=span.code,
            defaults={
                "kind": span.kind,
                "start": span.start,
                "end": span.end,
                "opens_on": span.end - WINDOW_OPENS_BEFORE_END,
                "deadline": span.end + DEADLINE_AFTER_END,
            },
        )
        if was_created:
            created.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    audit_record(
        actor=actor,
        action="measurement.period_create_quarters",
        changes={"created": [p.code for p in created]},
    )
    return created


def _set_items(dataset: Dataset, items: Sequence[tuple[Indicator, bool]]) -> list[str]:
    """Replace the dataset's indicators: `items` in order, each with its required flag."""
    DatasetIndicator.objects.filter(dataset=dataset).delete()
    DatasetIndicator.objects.bulk_create(
        [
            DatasetIndicator(
                dataset=dataset, indicator=indicator, position=position, required=required
            )
            for position, (indicator, required) in enumerate(items, start=1)
        ]
    )
    return [f"{indicator.code}{'' if required else '?'}" for indicator, required in items]


@transaction.atomic
def dataset_create(
    *,
    actor: Any,
    code: str,
    indicators: Iterable[Indicator],
    optional: Iterable[Indicator] = (),
    **fields: Any,
) -> Dataset:
    """A dataset asking for `indicators` in this order (those in `optional` not required)."""
    require_backbone_staff(actor)
    dataset = Dataset(code=code, **fields)
    dataset.full_clean()
    dataset.save()
    optional_ids = {i.pk for i in optional}
    items = _set_items(dataset, [(i, i.pk not in optional_ids) for i in indicators])
    audit_record(
        actor=actor,
        action="measurement.dataset_create",
        target=dataset,
        changes={"code": code, "indicators": items},
    )
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: Any,
    dataset: Dataset,
    items: Sequence[tuple[Indicator, bool]] | None = None,
    **fields: Any,
) -> Dataset:
    """Change a dataset; `items` (indicator, required) replaces its indicators in order.

    Values already reported stay with their submissions; the forms and templates ask
    for the new list from the next save on."""
    require_backbone_staff(actor)
    before = _assign(dataset, fields)
    dataset.full_clean()
    dataset.save()
    changes = diff_fields(before, fields)
    if items is not None:
        old = [
            f"{code}{'' if required else '?'}"
            for code, required in dataset.items.values_list("indicator__code", "required")
        ]
        new = _set_items(dataset, items)
        if old != new:
            changes["indicators"] = [old, new]
    audit_record(actor=actor, action="measurement.dataset_update", target=dataset, changes=changes)
    return dataset


@transaction.atomic
def dataset_assign(
    *, actor: Any, dataset: Dataset, organisations: Iterable[Organisation]
) -> Dataset:
    """Add organisations to those that report this dataset."""
    require_backbone_staff(actor)
    organisations = list(organisations)
    dataset.organisations.add(*organisations)
    audit_record(
        actor=actor,
        action="measurement.dataset_assign",
        target=dataset,
        changes={"organisations": [o.slug for o in organisations]},
    )
    return dataset


@transaction.atomic
def dataset_assignment_change(
    *,
    actor: Any,
    dataset: Dataset,
    assign: Iterable[Organisation],
    unassign: Iterable[Organisation],
) -> tuple[int, int]:
    """Add and remove organisations that report this dataset; returns how many of each
    actually changed. Submissions already made stay: an organisation that no longer
    reports the dataset simply stops owing it."""
    require_backbone_staff(actor)
    current = set(dataset.organisations.values_list("pk", flat=True))
    added = [o for o in assign if o.pk not in current]
    removed = [o for o in unassign if o.pk in current]
    dataset.organisations.add(*added)
    dataset.organisations.remove(*removed)
    if added or removed:
        audit_record(
            actor=actor,
            action="measurement.dataset_assignment_change",
            target=dataset,
            changes={
                "assigned": [o.slug for o in added],
                "unassigned": [o.slug for o in removed],
            },
        )
    return len(added), len(removed)


def _member_names(name_en: str, name_fr: str) -> dict[str, str]:
    names = {"name_en": (name_en or "").strip(), "name_fr": (name_fr or "").strip()}
    missing = {}
    if not names["name_en"]:
        missing["name_en"] = _("Enter the name in English.")
    if not names["name_fr"]:
        missing["name_fr"] = _("Enter the name in French.")
    if missing:
        raise ValidationError(missing, code="required")
    return names


@transaction.atomic
def dimension_member_add(
    *, actor: Any, dimension: Dimension, code: str, name_en: str, name_fr: str
) -> DimensionMember:
    """A new member at the end of the dimension. Provinces and territories come from
    the country's list and cannot be added to."""
    require_backbone_staff(actor)
    if dimension.is_province:
        raise ValidationError(
            _("Provinces and territories come from the list of Canada’s provinces and territories.")
        )
    code = (code or "").strip()
    if DimensionMember.objects.filter(dimension=dimension, code=code).exists():
        raise ValidationError(
            {
                "code": _("%(dimension)s already has a member with the code %(code)s.")
                % {"dimension": dimension.name, "code": code}
            },
            code="duplicate",
        )
    names = _member_names(name_en, name_fr)
    last = dimension.members.order_by("-position").values_list("position", flat=True).first()
    member = DimensionMember(dimension=dimension, code=code, position=(last or 0) + 1, **names)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="measurement.dimension_member_add",
        target=member,
        changes={"dimension": dimension.code, "code": code, **names},
    )
    return member


@transaction.atomic
def dimension_member_rename(
    *, actor: Any, member: DimensionMember, name_en: str, name_fr: str
) -> DimensionMember:
    """Rename a member; its code, which reported values refer to, never changes."""
    require_backbone_staff(actor)
    names = _member_names(name_en, name_fr)
    before = {field: getattr(member, field, "") for field in names}
    for field, value in names.items():
        setattr(member, field, value)
    member.save(update_fields=["name_en", "name_fr"])
    audit_record(
        actor=actor,
        action="measurement.dimension_member_rename",
        target=member,
        changes=diff_fields(before, names),
    )
    return member


@transaction.atomic
def dimension_member_delete(*, actor: Any, member: DimensionMember) -> None:
    """Delete a member nobody has reported against: values refer to members by code, so
    deleting a used one would leave numbers that no longer say whom they count."""
    from collectif.measurement.selectors.setup import member_in_use

    require_backbone_staff(actor)
    if member.dimension.is_province or member_in_use(member):
        raise ValidationError(
            _("This member is used by reported values, so it cannot be deleted."), code="in_use"
        )
    audit_record(
        actor=actor,
        action="measurement.dimension_member_delete",
        target=member,
        changes={"dimension": member.dimension.code, "code": member.code},
    )
    member.delete()


def _check_rule(rule: ValidationRule) -> None:
    if rule.left_id and rule.left_id == rule.right_id:
        raise ValidationError(
            {"right": _("Compare two different indicators.")}, code="same_indicator"
        )


@transaction.atomic
def validation_rule_create(*, actor: Any, code: str, **fields: Any) -> ValidationRule:
    """`fields`: left, operator, right, severity, message_en, message_fr, is_active."""
    require_backbone_staff(actor)
    rule = ValidationRule(code=code, **fields)
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="measurement.validation_rule_create",
        target=rule,
        changes={"code": code, **fields},
    )
    return rule


@transaction.atomic
def validation_rule_update(*, actor: Any, rule: ValidationRule, **fields: Any) -> ValidationRule:
    require_backbone_staff(actor)
    before = _assign(rule, fields)
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="measurement.validation_rule_update",
        target=rule,
        changes=diff_fields(before, fields),
    )
    return rule


def _check_target_value(indicator: Indicator, value: Decimal, field: str) -> None:
    if value < 0:
        raise ValidationError({field: _("Enter a number of 0 or more.")}, code="negative")
    if indicator.unit == Indicator.Unit.PERCENT and value > 100:
        raise ValidationError({field: _("Enter a percentage from 0 to 100.")}, code="percent")


@transaction.atomic
def baseline_set(
    *,
    actor: Any,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
    source_en: str = "",
    source_fr: str = "",
) -> Baseline:
    require_backbone_staff(actor)
    _check_target_value(indicator, value, "value")
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator,
        region=region,
        defaults={"period": period, "value": value, "source_en": source_en, "source_fr": source_fr},
    )
    audit_record(
        actor=actor,
        action="measurement.baseline_set",
        target=baseline,
        changes={"indicator": indicator.code, "period": period.code, "value": value},
    )
    return baseline


@transaction.atomic
def target_set(
    *,
    actor: Any,
    plan_version: PlanVersion,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
) -> Target:
    require_backbone_staff(actor)
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
        action="measurement.target_set",
        target=target,
        changes={"plan": plan_version.number, "indicator": indicator.code, "value": value},
    )
    return target


@dataclass(frozen=True)
class TargetInput:
    """One cell of the targets table; `value` None clears the target. `field` names the
    form field an error belongs to."""

    plan_version: PlanVersion
    period: Period
    value: Decimal | None
    field: str = "value"


@transaction.atomic
def indicator_plan_set(
    *,
    actor: Any,
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
    require_backbone_staff(actor)
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
        removed, _details = Baseline.objects.filter(indicator=indicator, region=CANADA).delete()
        if removed:
            audit_record(
                actor=actor,
                action="measurement.baseline_remove",
                target=indicator,
                changes={"indicator": indicator.code},
            )
    for cell in targets:
        if cell.value is not None:
            target_set(
                actor=actor,
                plan_version=cell.plan_version,
                indicator=indicator,
                period=cell.period,
                value=cell.value,
            )
            continue
        removed, _details = Target.objects.filter(
            plan_version=cell.plan_version, indicator=indicator, region=CANADA, period=cell.period
        ).delete()
        if removed:
            audit_record(
                actor=actor,
                action="measurement.target_remove",
                target=indicator,
                changes={"plan": cell.plan_version.number, "period": cell.period.code},
            )


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


@transaction.atomic
def plan_version_create(
    *,
    actor: Any,
    number: int,
    name_en: str,
    name_fr: str,
    adopted_on: date,
    is_original: bool = False,
    is_current: bool = False,
    notes: str = "",
    notes_fr: str = "",
) -> PlanVersion:
    """A new version of the plan; marking it current retires the previous current one.
    `notes` is the English text."""
    require_backbone_staff(actor)
    plan = PlanVersion(
        number=number,
        name=name_en,
        name_en=name_en,
        name_fr=name_fr,
        adopted_on=adopted_on,
        is_original=is_original,
        is_current=is_current,
        notes_en=notes,
        notes_fr=notes_fr,
    )
    _check_single_original(plan)
    if is_current:
        PlanVersion.objects.filter(is_current=True).update(is_current=False)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="measurement.plan_version_create",
        target=plan,
        changes={"number": number, "is_original": is_original, "is_current": is_current},
    )
    return plan


@transaction.atomic
def plan_version_update(*, actor: Any, plan: PlanVersion, **fields: Any) -> PlanVersion:
    """`fields`: number, name_en, name_fr, adopted_on, is_original, is_current, notes_en,
    notes_fr. Making it current retires the previous current version."""
    require_backbone_staff(actor)
    before = _assign(plan, fields)
    _check_single_original(plan)
    if plan.is_current:
        PlanVersion.objects.filter(is_current=True).exclude(pk=plan.pk).update(is_current=False)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="measurement.plan_version_update",
        target=plan,
        changes=diff_fields(before, fields),
    )
    return plan
