"""Every write about the gap matrix's targets: add, change, delete, each audited.

A target names its matrix (provinces or population groups), optionally a sector and a
column of that matrix, and what the cell must hold. The checks live here rather than in
the form so the API or a script gets the same answers: a target names a column of its
own matrix only, stops at a stage on the path (declined and dormant count for nothing),
and there is one target per pattern of cell.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from collectif.core.actors import Actor, require
from collectif.core.models import Province
from collectif.core.services import audit_record, diff_fields
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.domain.gaps import FORWARD_STAGES
from collectif.ecosystem.models import GapAxis, GapTarget, PopulationGroup, Sector


@dataclass(frozen=True, kw_only=True)
class GapTargetData:
    axis: str
    sector: Sector | None = None
    province: Province | None = None
    population_group: PopulationGroup | None = None
    minimum_stage: str
    minimum_count: int = 1


def _snapshot(target: GapTarget) -> dict[str, Any]:
    return {
        "axis": target.axis,
        "sector": target.sector.code if target.sector else "",
        "province": target.province_id or "",
        "population_group": target.population_group.code if target.population_group else "",
        "minimum_stage": target.minimum_stage,
        "minimum_count": target.minimum_count,
    }


def _assign(target: GapTarget, data: GapTargetData) -> None:
    target.axis = data.axis
    target.sector = data.sector
    target.province = data.province if data.axis == GapAxis.PROVINCE else None
    target.population_group = data.population_group if data.axis == GapAxis.POPULATION else None
    target.minimum_stage = data.minimum_stage
    target.minimum_count = data.minimum_count


def _validate(target: GapTarget, data: GapTargetData) -> None:
    """Every problem at once, beside the field it concerns."""
    errors: dict[str, list[ValidationError]] = {}
    if data.axis == GapAxis.PROVINCE and data.population_group is not None:
        errors["population_group"] = [
            ValidationError(
                _("A target of the provinces matrix cannot name a population group."),
                code="axis",
            )
        ]
    if data.axis == GapAxis.POPULATION and data.province is not None:
        errors["province"] = [
            ValidationError(
                _("A target of the population groups matrix cannot name a province."),
                code="axis",
            )
        ]
    if data.minimum_stage not in FORWARD_STAGES:
        errors["minimum_stage"] = [
            ValidationError(_("Choose a stage from identified to committed partner."), code="stage")
        ]
    duplicate = (
        GapTarget.objects.filter(
            axis=target.axis,
            sector=target.sector,
            province=target.province,
            population_group=target.population_group,
        )
        .exclude(pk=target.pk or 0)
        .exists()
    )
    if duplicate:
        errors.setdefault("sector", []).append(
            ValidationError(
                _("A target already covers these cells: change that one instead."),
                code="duplicate",
            )
        )
    try:
        target.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def gap_target_create(*, actor: Actor, data: GapTargetData) -> GapTarget:
    require(actor, "ecosystem.manage_gap_targets")
    target = GapTarget()
    _assign(target, data)
    _validate(target, data)
    target.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.GAP_TARGET_CREATE,
        target=target,
        changes=diff_fields({}, _snapshot(target)),
    )
    return target


@transaction.atomic
def gap_target_update(*, actor: Actor, target: GapTarget, data: GapTargetData) -> GapTarget:
    require(actor, "ecosystem.manage_gap_targets", target)
    before = _snapshot(target)
    _assign(target, data)
    _validate(target, data)
    target.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.GAP_TARGET_UPDATE,
        target=target,
        changes=diff_fields(before, _snapshot(target)),
    )
    return target


@transaction.atomic
def gap_target_delete(*, actor: Actor, target: GapTarget) -> None:
    require(actor, "ecosystem.manage_gap_targets", target)
    before = _snapshot(target)
    audit_record(
        actor=actor,
        action=EcosystemAction.GAP_TARGET_DELETE,
        target=target,
        changes=diff_fields(before, dict.fromkeys(before)),
    )
    target.delete()
