"""Recording ties: what staff may record, what is refused, and what each write leaves behind."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from collectif.accounts.models import User
from collectif.core.models import AuditEvent, Job
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType
from collectif.ecosystem.selectors.network import ANALYSIS_JOB_KIND
from collectif.ecosystem.services.relationships import (
    ImportedTie,
    RelationshipData,
    RelationshipTypeData,
    relationship_create,
    relationship_delete,
    relationship_import,
    relationship_type_create,
    relationship_type_delete,
    relationship_type_update,
    relationship_update,
)
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory


def _staff() -> User:
    user = user_with_role("staff")
    assert user is not None
    return user


def _type(code: str) -> RelationshipType:
    return RelationshipType.objects.get(code=code)


def _tie(
    source: Organisation, target: Organisation, code: str = "funds", **more: object
) -> RelationshipData:
    return RelationshipData(source=source, target=target, type=_type(code), **more)  # type: ignore[arg-type]


def _codes(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {
        field: [e.code or "" for e in errors] for field, errors in error.value.error_dict.items()
    }


@pytest.mark.django_db
def test_staff_record_a_tie_which_is_audited_and_asks_for_the_map_again() -> None:
    funder, program = OrganisationFactory.create_batch(2)
    staff = _staff()

    tie = relationship_create(actor=staff, data=_tie(funder, program, strength=3))

    assert (tie.source, tie.target, tie.type.code, tie.strength) == (funder, program, "funds", 3)
    assert tie.created_by == staff
    event = AuditEvent.objects.get(action="ecosystem.relationship_create")
    assert event.changes["type"] == [None, "funds"]
    assert Job.objects.filter(kind=ANALYSIS_JOB_KIND).count() == 1


@pytest.mark.django_db
def test_someone_who_is_not_staff_cannot_record_a_tie() -> None:
    funder, program = OrganisationFactory.create_batch(2)
    steward = user_with_role("steward", funder)
    assert steward is not None
    with pytest.raises(PermissionDenied):
        relationship_create(actor=steward, data=_tie(funder, program))
    tie = ImportedTie(
        row=2,
        source_id=funder.pk,
        target_id=program.pk,
        type_id=_type("funds").pk,
        strength=None,
        started_on=None,
        ended_on=None,
        note=None,
    )
    with pytest.raises(PermissionDenied):
        relationship_import(actor=steward, creates=[tie], updates=[], filename="ties.csv")
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_a_tie_to_itself_an_end_before_its_start_and_an_archived_end_are_refused_at_once() -> None:
    program = OrganisationFactory.create()
    archived = OrganisationFactory.create(archived_at=timezone.now())

    with pytest.raises(ValidationError) as error:
        relationship_create(
            actor=_staff(),
            data=_tie(program, program, started_on=date(2025, 5, 1), ended_on=date(2024, 1, 1)),
        )
    assert _codes(error) == {"target": ["self_loop"], "ended_on": ["ends_before_start"]}
    with pytest.raises(ValidationError) as error:
        relationship_create(actor=_staff(), data=_tie(archived, program))
    assert _codes(error) == {"source": ["archived"]}
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_an_undirected_tie_is_stored_once_per_pair_a_directed_one_may_go_both_ways() -> None:
    first, second = OrganisationFactory.create_batch(2)
    staff = _staff()
    relationship_create(actor=staff, data=_tie(first, second, "partners"))
    relationship_create(actor=staff, data=_tie(first, second, "refers"))

    with pytest.raises(ValidationError) as error:
        relationship_create(actor=staff, data=_tie(second, first, "partners"))
    assert _codes(error) == {"target": ["duplicate"]}
    relationship_create(actor=staff, data=_tie(second, first, "refers"))
    assert Relationship.objects.count() == 3


@pytest.mark.django_db
def test_changing_a_tie_records_what_changed_and_deleting_it_leaves_an_audit_trace() -> None:
    tie = RelationshipFactory.create(strength=1)
    staff = _staff()

    relationship_update(
        actor=staff,
        relationship=tie,
        data=RelationshipData(
            source=tie.source, target=tie.target, type=tie.type, strength=3, note="Since the fair"
        ),
    )
    tie.refresh_from_db()
    assert (tie.strength, tie.note) == (3, "Since the fair")
    changes = AuditEvent.objects.get(action="ecosystem.relationship_update").changes
    assert changes["strength"] == [1, 3]

    relationship_delete(actor=staff, relationship=tie)
    assert not Relationship.objects.exists()
    assert AuditEvent.objects.filter(action="ecosystem.relationship_delete").count() == 1


@pytest.mark.django_db
def test_a_retired_type_stays_on_its_ties_but_cannot_be_chosen_for_a_new_one() -> None:
    tie = RelationshipFactory.create()
    staff = _staff()
    refers = tie.type
    relationship_type_update(
        actor=staff,
        relationship_type=refers,
        data=RelationshipTypeData(
            name_en=refers.name_en,  # type: ignore[attr-defined]
            name_fr=refers.name_fr,  # type: ignore[attr-defined]
            is_directed=True,
            is_active=False,
            position=refers.position,
        ),
    )
    # Editing the tie keeps its retired type ...
    relationship_update(
        actor=staff,
        relationship=tie,
        data=RelationshipData(source=tie.source, target=tie.target, type=refers, strength=3),
    )
    # ... but a new tie cannot take it.
    other = OrganisationFactory.create()
    with pytest.raises(ValidationError) as error:
        relationship_create(actor=staff, data=_tie(tie.source, other, "refers"))
    assert _codes(error) == {"type": ["retired"]}


@pytest.mark.django_db
def test_a_type_in_use_cannot_be_deleted_a_new_unused_one_can() -> None:
    staff = _staff()
    RelationshipFactory.create()
    with pytest.raises(ValidationError):
        relationship_type_delete(actor=staff, relationship_type=_type("refers"))

    mentors = relationship_type_create(
        actor=staff,
        data=RelationshipTypeData(
            code="mentors", name_en="mentors staff of", name_fr="accompagne l’équipe de"
        ),
    )
    assert mentors.name_fr == "accompagne l’équipe de"  # type: ignore[attr-defined]
    relationship_type_delete(actor=staff, relationship_type=mentors)
    assert not RelationshipType.objects.filter(code="mentors").exists()
    assert RelationshipType.objects.filter(code="refers").exists()


@pytest.mark.django_db
def test_a_type_needs_both_names_and_a_code_of_its_own() -> None:
    with pytest.raises(ValidationError) as error:
        relationship_type_create(
            actor=_staff(), data=RelationshipTypeData(code="funds", name_en="funds", name_fr="")
        )
    assert set(error.value.error_dict) == {"code", "name_fr"}


@pytest.mark.django_db
def test_a_type_tying_pairs_both_ways_cannot_lose_its_direction() -> None:
    first, second = OrganisationFactory.create_batch(2)
    RelationshipFactory.create(source=first, target=second)
    RelationshipFactory.create(source=second, target=first)
    refers = _type("refers")
    with pytest.raises(ValidationError) as error:
        relationship_type_update(
            actor=_staff(),
            relationship_type=refers,
            data=RelationshipTypeData(
                name_en="refers", name_fr="oriente", is_directed=False, position=refers.position
            ),
        )
    assert set(error.value.error_dict) == {"is_directed"}
    refers.refresh_from_db()
    assert refers.is_directed


@pytest.mark.django_db
def test_a_tie_of_an_organisation_archived_since_can_still_be_given_its_end_date() -> None:
    tie = RelationshipFactory.create(target__archived_at=timezone.now())
    relationship_update(
        actor=_staff(),
        relationship=tie,
        data=RelationshipData(
            source=tie.source, target=tie.target, type=tie.type, ended_on=date(2026, 3, 31)
        ),
    )
    tie.refresh_from_db()
    assert tie.ended_on == date(2026, 3, 31)
