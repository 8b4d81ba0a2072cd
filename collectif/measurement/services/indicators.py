"""Writes of the indicators: what the movement measures, and how its figures combine.

A change in how an indicator combines (its aggregation, what weights it, its
breakdowns) rebuilds its rollups in the same transaction, so no dashboard shows totals
worked out the old way.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import assign, audit_record, field_values, save_changed
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain import rollups
from collectif.measurement.models import Dimension, Indicator, Rollup, Submission, Value
from collectif.measurement.permissions import MANAGE

# What decides how partners' values combine: a change to any of them rebuilds rollups.
SHAPE = frozenset({"aggregation", "weight_indicator", "dimensions"})


@dataclass(frozen=True)
class IndicatorData:
    """Everything staff write about an indicator but its code, which never changes.
    `dimensions` are the codes of the dimensions it is broken down by."""

    name_en: str
    name_fr: str
    kind: str
    definition_en: str = ""
    definition_fr: str = ""
    rationale_en: str = ""
    rationale_fr: str = ""
    story_en: str = ""
    story_fr: str = ""
    question: str = ""
    unit: str = Indicator.Unit.COUNT
    decimals: int = 0
    polarity: str = Indicator.Polarity.HIGHER
    aggregation: str = Indicator.Aggregation.SUM
    weight_indicator: Indicator | None = None
    frequency: str = Indicator.Frequency.QUARTER
    source: str = Indicator.Source.PARTNER
    numerator: Indicator | None = None
    denominator: Indicator | None = None
    factor: Decimal = Decimal(1)
    dimensions: tuple[str, ...] = ()
    consistency: str = Indicator.Consistency.ERROR
    is_published: bool = False
    position: int = 0

    @classmethod
    def of(cls, indicator: Indicator) -> "IndicatorData":
        """The indicator as it is, to change a few fields with `dataclasses.replace`."""
        values = {f.name: getattr(indicator, f.name) for f in fields(cls) if f.name != "dimensions"}
        return cls(**values, dimensions=tuple(_dimension_codes(indicator)))


def _dimension_codes(indicator: Indicator) -> list[str]:
    return sorted(indicator.dimensions.values_list("code", flat=True))


def _set_dimensions(indicator: Indicator, codes: Iterable[str]) -> None:
    wanted = set(codes)
    found = list(Dimension.objects.filter(code__in=wanted))
    unknown = wanted - {dimension.code for dimension in found}
    if unknown:
        raise ValidationError(
            {
                "dimensions": _("There is no dimension with the code %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))}
            },
            code="unknown",
        )
    indicator.dimensions.set(found)


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


@transaction.atomic
def indicator_create(*, actor: Actor, code: str, data: IndicatorData) -> Indicator:
    require(actor, MANAGE)
    values = field_values(data)
    dimensions = values.pop("dimensions")
    indicator = Indicator(code=code, **values)
    indicator.full_clean()
    indicator.save()
    _set_dimensions(indicator, dimensions)
    audit_record(
        actor=actor,
        action=MeasurementAction.INDICATOR_CREATE,
        target=indicator,
        changes={"code": code, **values, "dimensions": _dimension_codes(indicator)},
    )
    results_version_bump()
    return indicator


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, data: IndicatorData) -> Indicator:
    """Change an indicator, writing only the fields that differ; when how it combines or
    what it is broken down by changes, its rollups are rebuilt in the same transaction."""
    require(actor, MANAGE)
    values = field_values(data)
    dimensions = sorted(set(values.pop("dimensions")))
    changes = assign(indicator, values)
    indicator.full_clean()
    save_changed(indicator, changes)
    stored_dimensions = _dimension_codes(indicator)
    if dimensions != stored_dimensions:
        _set_dimensions(indicator, dimensions)
        changes["dimensions"] = [stored_dimensions, dimensions]
    if SHAPE & changes.keys():
        changes["rollups_rebuilt"] = _rebuild_indicator_rollups(indicator)
    audit_record(
        actor=actor,
        action=MeasurementAction.INDICATOR_UPDATE,
        target=indicator,
        changes=changes,
    )
    results_version_bump()
    return indicator
