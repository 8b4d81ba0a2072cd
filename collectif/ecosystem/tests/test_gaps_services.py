"""The gap target services guard themselves and refuse targets that could never be read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent, Province
from collectif.ecosystem.models import GapTarget, PopulationGroup, Sector, Stage
from collectif.ecosystem.services.gaps import (
    GapTargetData,
    gap_target_create,
    gap_target_delete,
    gap_target_update,
)
from collectif.ecosystem.testing import user_with_role


@pytest.mark.django_db
def test_only_backbone_staff_may_change_targets() -> None:
    data = GapTargetData(axis="province", minimum_stage=Stage.ENGAGED)
    for role in ("steward", "governance", "researcher", "no_role"):
        person = user_with_role(role)
        assert person is not None
        with pytest.raises(PermissionDenied):
            gap_target_create(actor=person, data=data)
    target = gap_target_create(actor=SYSTEM, data=data)
    steward = user_with_role("steward")
    assert steward is not None
    with pytest.raises(PermissionDenied):
        gap_target_update(actor=steward, target=target, data=data)
    with pytest.raises(PermissionDenied):
        gap_target_delete(actor=steward, target=target)
    assert GapTarget.objects.count() == 1


@pytest.mark.django_db
def test_a_target_names_columns_of_its_own_matrix_and_a_stage_on_the_path() -> None:
    crossed = GapTargetData(
        axis="population",
        province=Province.objects.get(code="ON"),
        minimum_stage=Stage.DECLINED,
        minimum_count=1,
    )
    with pytest.raises(ValidationError) as refused:
        gap_target_create(actor=SYSTEM, data=crossed)
    assert set(refused.value.error_dict) == {"province", "minimum_stage"}
    other_way = GapTargetData(
        axis="province",
        population_group=PopulationGroup.objects.get(code="newcomer"),
        minimum_stage=Stage.COMMITTED,
    )
    with pytest.raises(ValidationError) as refused:
        gap_target_create(actor=SYSTEM, data=other_way)
    assert set(refused.value.error_dict) == {"population_group"}
    assert not GapTarget.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ecosystem.gap_target").exists()


@pytest.mark.django_db
def test_one_target_per_pattern_of_cells_and_the_audit_says_what_changed() -> None:
    sector = Sector.objects.get(code="business")
    data = GapTargetData(axis="population", sector=sector, minimum_stage=Stage.ENGAGED)
    target = gap_target_create(actor=SYSTEM, data=data)
    with pytest.raises(ValidationError) as refused:
        gap_target_create(actor=SYSTEM, data=data)
    assert "sector" in refused.value.error_dict
    gap_target_update(
        actor=SYSTEM,
        target=target,
        data=GapTargetData(
            axis="population", sector=sector, minimum_stage=Stage.ENGAGED, minimum_count=3
        ),
    )
    event = AuditEvent.objects.get(action="ecosystem.gap_target_update")
    assert event.changes == {"minimum_count": [1, 3]}
    gap_target_delete(actor=SYSTEM, target=target)
    assert not GapTarget.objects.exists()
