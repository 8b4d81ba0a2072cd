"""Writes of the dimension members: the groups results are broken down by.

Values refer to members by code, so a code never changes and a used member is never
deleted; provinces and territories come from the country's list and are not edited here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import assign, audit_record, save_changed
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import Dimension, DimensionMember
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors.dimensions import member_in_use


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
    *, actor: Actor, dimension: Dimension, code: str, name_en: str, name_fr: str
) -> DimensionMember:
    """A new member at the end of the dimension. Provinces and territories come from
    the country's list and cannot be added to."""
    require(actor, MANAGE)
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
        action=MeasurementAction.DIMENSION_MEMBER_ADD,
        target=member,
        changes={"dimension": dimension.code, "code": code, **names},
    )
    results_version_bump()
    return member


@transaction.atomic
def dimension_member_rename(
    *, actor: Actor, member: DimensionMember, name_en: str, name_fr: str
) -> DimensionMember:
    """Rename a member; its code, which reported values refer to, never changes."""
    require(actor, MANAGE)
    changes = assign(member, _member_names(name_en, name_fr))
    save_changed(member, changes)
    audit_record(
        actor=actor,
        action=MeasurementAction.DIMENSION_MEMBER_RENAME,
        target=member,
        changes=changes,
    )
    results_version_bump()
    return member


@transaction.atomic
def dimension_member_delete(*, actor: Actor, member: DimensionMember) -> None:
    """Delete a member nobody has reported against: values refer to members by code, so
    deleting a used one would leave numbers that no longer say whom they count."""
    require(actor, MANAGE)
    if member.dimension.is_province or member_in_use(member):
        raise ValidationError(
            _("This member is used by reported values, so it cannot be deleted."), code="in_use"
        )
    audit_record(
        actor=actor,
        action=MeasurementAction.DIMENSION_MEMBER_DELETE,
        target=member,
        changes={"dimension": member.dimension.code, "code": member.code},
    )
    member.delete()
    results_version_bump()
