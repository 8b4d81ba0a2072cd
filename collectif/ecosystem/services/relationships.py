"""Every write about relationships and their types; each one asks for the map's recompute.

A relationship is a fact about two organisations staff have checked, so only backbone
staff write them, whatever the channel. The rules a tie must follow (no tie to itself,
no end before its start, no archived end, no repeat of a tie already there, either way
round when the type has no direction) live here, so the form, the API, the import and
the demo all refuse the same things with the same words.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectif.core.actors import SYSTEM, Actor, SystemActor, require
from collectif.core.services import audit_record, diff_fields
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType, Strength
from collectif.ecosystem.selectors import relationships as selectors

NOTE_MAX_LENGTH = 500
TYPE_NAME_FIELDS = ("name_en", "name_fr")


@dataclass(frozen=True, kw_only=True)
class RelationshipData:
    """What a person states about a tie, as every channel hands it over."""

    source: Organisation
    target: Organisation
    type: RelationshipType
    strength: int = Strength.MODERATE
    started_on: date | None = None
    ended_on: date | None = None
    note: str = ""


def relationship_data(relationship: Relationship) -> RelationshipData:
    """A tie's fields as they stand, for a partial change (API PATCH)."""
    return RelationshipData(
        source=relationship.source,
        target=relationship.target,
        type=relationship.type,
        strength=relationship.strength,
        started_on=relationship.started_on,
        ended_on=relationship.ended_on,
        note=relationship.note,
    )


def network_changed() -> None:
    """Ask for the network metrics to be computed again, once this transaction commits."""
    from collectif.ecosystem.services.network import network_analysis_request

    network_analysis_request(actor=SYSTEM)


def _person(actor: Actor) -> Any:
    """Who recorded a tie: the person, or nobody when the platform did."""
    return None if isinstance(actor, SystemActor) else actor


def _snapshot(relationship: Relationship) -> dict[str, Any]:
    return {
        "source": str(relationship.source) if relationship.source_id else "",
        "target": str(relationship.target) if relationship.target_id else "",
        "type": relationship.type.code if relationship.type_id else "",
        "strength": relationship.strength,
        "started_on": relationship.started_on,
        "ended_on": relationship.ended_on,
        "note": relationship.note,
    }


def relationship_errors(
    data: RelationshipData,
    *,
    exclude_pk: int | None = None,
    type_was: int | None = None,
    ends_were: tuple[int, ...] = (),
) -> dict[str, list[ValidationError]]:
    """Every reason the tie cannot be saved, by field, so all are fixed in one go.

    A retired type or an archived organisation already on the tie stays allowed, so
    that an old tie can still be corrected or given its end date.
    """
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: Any, code: str, **params: Any) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    if data.source.pk == data.target.pk:
        add("target", _("An organisation cannot have a relationship with itself."), "self_loop")
    for field, organisation in (("source", data.source), ("target", data.target)):
        if organisation.archived_at is not None and organisation.pk not in ends_were:
            add(
                field,
                _("%(name)s is archived: restore it before recording its relationships."),
                "archived",
                name=organisation,
            )
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        add("ended_on", _("The end date is before the start date."), "ends_before_start")
    if not data.type.is_active and data.type.pk != type_was:
        add("type", _("This type of relationship is no longer in use: choose another."), "retired")
    if data.strength not in Strength.values:
        add("strength", _("Choose weak, moderate or strong."), "invalid")
    if len(data.note) > NOTE_MAX_LENGTH:
        add("note", _("Keep the note under 500 characters."), "too_long")
    if "target" not in errors and data.source.pk != data.target.pk:
        existing = selectors.relationship_duplicate(
            source=data.source, target=data.target, type=data.type, exclude_pk=exclude_pk
        )
        if existing is not None:
            add(
                "target",
                _("This relationship is already recorded: %(existing)s. Edit that one instead."),
                "duplicate",
                existing=existing,
            )
    return errors


def _assign(relationship: Relationship, data: RelationshipData) -> None:
    relationship.source = data.source
    relationship.target = data.target
    relationship.type = data.type
    relationship.strength = data.strength
    relationship.started_on = data.started_on
    relationship.ended_on = data.ended_on
    relationship.note = data.note.strip()


@transaction.atomic
def relationship_create(*, actor: Actor, data: RelationshipData) -> Relationship:
    require(actor, "ecosystem.manage_relationships")
    errors = relationship_errors(data)
    if errors:
        raise ValidationError(errors)
    relationship = Relationship()
    _assign(relationship, data)
    relationship.created_by = _person(actor)
    relationship.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_CREATE,
        target=relationship,
        changes=diff_fields({}, _snapshot(relationship)),
    )
    network_changed()
    return relationship


@transaction.atomic
def relationship_update(
    *, actor: Actor, relationship: Relationship, data: RelationshipData
) -> Relationship:
    require(actor, "ecosystem.manage_relationships", relationship)
    before = _snapshot(relationship)
    errors = relationship_errors(
        data,
        exclude_pk=relationship.pk,
        type_was=relationship.type_id,
        ends_were=(relationship.source_id, relationship.target_id),
    )
    if errors:
        raise ValidationError(errors)
    _assign(relationship, data)
    changes = diff_fields(before, _snapshot(relationship))
    if not changes:
        return relationship
    relationship.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_UPDATE,
        target=relationship,
        changes=changes,
    )
    network_changed()
    return relationship


@transaction.atomic
def relationship_delete(*, actor: Actor, relationship: Relationship) -> None:
    require(actor, "ecosystem.manage_relationships", relationship)
    before = _snapshot(relationship)
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_DELETE,
        target=relationship,
        changes=diff_fields(before, dict.fromkeys(before)),
    )
    relationship.delete()
    network_changed()


# --- Types ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RelationshipTypeData:
    code: str = ""
    name_en: str
    name_fr: str
    is_directed: bool = True
    is_active: bool = True
    position: int = 0


def _type_snapshot(relationship_type: RelationshipType) -> dict[str, Any]:
    return {
        "code": relationship_type.code,
        **{f: getattr(relationship_type, f) or "" for f in TYPE_NAME_FIELDS},
        "is_directed": relationship_type.is_directed,
        "is_active": relationship_type.is_active,
        "position": relationship_type.position,
    }


def _type_errors(
    relationship_type: RelationshipType, data: RelationshipTypeData
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    for field in TYPE_NAME_FIELDS:
        if not getattr(data, field).strip():
            errors[field] = [
                ValidationError(_("Name the type in English and in French."), code="required")
            ]
    if relationship_type.pk is None:
        existing = selectors.relationship_type_get(code=data.code)
        if existing is not None:
            errors["code"] = [
                ValidationError(
                    _("Another type already has this code: choose another one."), code="duplicate"
                )
            ]
    elif (
        data.is_directed != relationship_type.is_directed
        and not data.is_directed
        and selectors.relationship_type_reversed_pairs(relationship_type=relationship_type)
    ):
        errors["is_directed"] = [
            ValidationError(
                _(
                    "Some organisations are tied by this type both ways: without a direction "
                    "those ties would repeat each other. Delete one of each pair first."
                ),
                code="reversed_pairs",
            )
        ]
    return errors


def _type_assign(relationship_type: RelationshipType, data: RelationshipTypeData) -> None:
    relationship_type.name_en = data.name_en.strip()  # type: ignore[attr-defined]
    relationship_type.name_fr = data.name_fr.strip()  # type: ignore[attr-defined]
    relationship_type.is_directed = data.is_directed
    relationship_type.is_active = data.is_active
    relationship_type.position = data.position


@transaction.atomic
def relationship_type_create(*, actor: Actor, data: RelationshipTypeData) -> RelationshipType:
    require(actor, "ecosystem.manage_relationship_types")
    relationship_type = RelationshipType(code=data.code.strip())
    _type_assign(relationship_type, data)
    errors = _type_errors(relationship_type, data)
    try:
        relationship_type.full_clean(exclude=["name"], validate_unique=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    relationship_type.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_TYPE_CREATE,
        target=relationship_type,
        changes=diff_fields({}, _type_snapshot(relationship_type)),
    )
    return relationship_type


@transaction.atomic
def relationship_type_update(
    *, actor: Actor, relationship_type: RelationshipType, data: RelationshipTypeData
) -> RelationshipType:
    """Rename, reorder, retire or bring back a type; its code stays (imports name it)."""
    require(actor, "ecosystem.manage_relationship_types", relationship_type)
    before = _type_snapshot(relationship_type)
    errors = _type_errors(relationship_type, data)
    if errors:
        raise ValidationError(errors)
    _type_assign(relationship_type, data)
    changes = diff_fields(before, _type_snapshot(relationship_type))
    if not changes:
        return relationship_type
    relationship_type.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_TYPE_UPDATE,
        target=relationship_type,
        changes=changes,
    )
    if "is_directed" in changes:
        network_changed()
    return relationship_type


@transaction.atomic
def relationship_type_delete(*, actor: Actor, relationship_type: RelationshipType) -> None:
    """Only a type no tie uses may go; one in use is retired instead (is_active)."""
    require(actor, "ecosystem.manage_relationship_types", relationship_type)
    if selectors.relationship_type_in_use(relationship_type=relationship_type):
        raise ValidationError(
            _(
                "Relationships of this type are recorded, so it cannot be deleted. "
                "Retire it instead: it stays on those relationships but is no longer offered."
            ),
            code="in_use",
        )
    before = _type_snapshot(relationship_type)
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_TYPE_DELETE,
        target=relationship_type,
        changes=diff_fields(before, dict.fromkeys(before)),
    )
    relationship_type.delete()


# --- Imports --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ImportedTie:
    """One row of an import, matched and checked: a tie to create or to change."""

    row: int
    source_id: int
    target_id: int
    type_id: int
    strength: int | None
    started_on: date | None
    ended_on: date | None
    note: str | None
    existing: Relationship | None = None


@transaction.atomic
def relationship_import(
    *, actor: Actor, creates: Iterable[ImportedTie], updates: Iterable[ImportedTie], filename: str
) -> dict[str, int]:
    """Write an import's checked rows in one transaction: all of them, or none.

    The rows were matched and checked by `files.relationships`; the database's own
    constraints stand behind that check, so a tie recorded meanwhile by someone else
    makes the whole import fail rather than half of it land.
    """
    require(actor, "ecosystem.manage_relationships")
    person = _person(actor)
    now = timezone.now()
    new = [
        Relationship(
            source_id=tie.source_id,
            target_id=tie.target_id,
            type_id=tie.type_id,
            strength=tie.strength or Strength.MODERATE,
            started_on=tie.started_on,
            ended_on=tie.ended_on,
            note=tie.note or "",
            created_by=person,
        )
        for tie in creates
    ]
    Relationship.objects.bulk_create(new, batch_size=1000)
    changed = []
    for tie in updates:
        relationship = tie.existing
        assert relationship is not None
        if tie.strength is not None:
            relationship.strength = tie.strength
        if tie.started_on is not None:
            relationship.started_on = tie.started_on
        if tie.ended_on is not None:
            relationship.ended_on = tie.ended_on
        if tie.note is not None:
            relationship.note = tie.note
        relationship.updated_at = now
        changed.append(relationship)
    Relationship.objects.bulk_update(
        changed, ["strength", "started_on", "ended_on", "note", "updated_at"], batch_size=1000
    )
    counts = {"created": len(new), "updated": len(changed)}
    audit_record(
        actor=actor,
        action=EcosystemAction.RELATIONSHIP_IMPORT,
        changes={"file": filename, **counts},
    )
    if new or changed:
        network_changed()
    return counts
