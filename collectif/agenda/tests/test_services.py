"""The plan versions: written by backbone staff, one original and one current, audited."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectif.accounts.models import User
from collectif.agenda.models import PlanVersion
from collectif.agenda.services import PlanVersionData, plan_version_create, plan_version_update
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import user_with_role


def data_of(plan: PlanVersion, **fields) -> PlanVersionData:
    return replace(
        PlanVersionData(
            number=plan.number,
            name_en=getattr(plan, "name_en", ""),
            name_fr=getattr(plan, "name_fr", ""),
            adopted_on=plan.adopted_on,
            is_original=plan.is_original,
            is_current=plan.is_current,
            notes_en=getattr(plan, "notes_en", "") or "",
            notes_fr=getattr(plan, "notes_fr", "") or "",
        ),
        **fields,
    )


def person(role: str) -> User:
    user = user_with_role(role)
    assert user is not None
    return user


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def staff():
    return person("staff")


@pytest.mark.django_db
def test_the_plan_factory_builds_the_original_plan():
    assert PlanVersionFactory.create(number=1).is_original


@pytest.mark.django_db
def test_plan_versions_keep_one_original_and_one_current(staff):
    first = plan_version_create(
        actor=staff,
        data=PlanVersionData(
            number=1,
            name_en="Original plan",
            name_fr="Plan d’origine",
            adopted_on=date(2022, 1, 1),
            is_original=True,
            is_current=True,
        ),
    )
    with pytest.raises(ValidationError) as raised:
        plan_version_create(
            actor=staff,
            data=PlanVersionData(
                number=2,
                name_en="Another",
                name_fr="Autre",
                adopted_on=date(2024, 1, 1),
                is_original=True,
            ),
        )
    assert "is_original" in raised.value.error_dict
    second = plan_version_create(
        actor=staff,
        data=PlanVersionData(
            number=2, name_en="Revised", name_fr="Révisé", adopted_on=date(2024, 1, 1)
        ),
    )
    plan_version_update(actor=staff, plan=second, data=data_of(second, is_current=True))
    assert list(PlanVersion.objects.filter(is_current=True)) == [second]
    first.refresh_from_db()
    assert first.is_original and not first.is_current
    assert actions() == [
        "agenda.plan_version_create",
        "agenda.plan_version_create",
        "agenda.plan_version_update",
    ]
    assert AuditEvent.objects.latest("pk").changes == {"is_current": [False, True]}


@pytest.mark.django_db
def test_a_new_current_plan_retires_the_previous_one():
    plan = plan_version_create(
        actor=SYSTEM,
        data=PlanVersionData(
            number=1,
            name_en="Original plan",
            name_fr="Plan d'origine",
            adopted_on=date(2025, 4, 1),
            is_original=True,
            is_current=True,
        ),
    )
    revised = plan_version_create(
        actor=SYSTEM,
        data=PlanVersionData(
            number=2,
            name_en="Revised plan",
            name_fr="Plan révisé",
            adopted_on=date(2026, 4, 1),
            is_current=True,
        ),
    )
    plan.refresh_from_db()
    assert not plan.is_current and revised.is_current
    assert revised.name == "Revised plan"
    assert AuditEvent.objects.latest("pk").actor_label == "system"


@pytest.mark.django_db
def test_an_update_writes_only_the_columns_that_changed(staff):
    plan = PlanVersionFactory.create(number=1)
    with CaptureQueriesContext(connection) as queries:
        plan_version_update(actor=staff, plan=plan, data=data_of(plan, notes_fr="Adopté"))
    (update,) = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "agenda_planversion"')]
    assert '"notes_fr"' in update and '"updated_at"' in update
    assert '"name_en"' not in update and '"number"' not in update


@pytest.mark.django_db
def test_people_who_are_not_staff_change_no_plan():
    steward = person("steward")
    plan = PlanVersionFactory.create(number=1)
    with pytest.raises(PermissionDenied):
        plan_version_update(actor=steward, plan=plan, data=data_of(plan, is_current=True))
    with pytest.raises(PermissionDenied):
        plan_version_create(actor=steward, data=data_of(plan, number=2, is_original=False))
    assert not AuditEvent.objects.exists()
    plan.refresh_from_db()
    assert not plan.is_current
