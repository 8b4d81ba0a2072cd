"""Reads of the dimension setup pages, for backbone staff only (the views check)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from collectif.measurement.models import Dimension, DimensionMember, Rollup, Value


def dimensions_with_members() -> QuerySet[Dimension]:
    return Dimension.objects.prefetch_related("members")


def dimension_for_setup(*, code: str) -> Dimension:
    dimension = Dimension.objects.filter(code=code).first()
    if dimension is None:
        raise Http404
    return dimension


def member_for_setup(*, dimension: str, code: str) -> DimensionMember:
    member = (
        DimensionMember.objects.select_related("dimension")
        .filter(dimension__code=dimension, code=code)
        .first()
    )
    if member is None:
        raise Http404
    return member


def member_in_use(member: DimensionMember) -> bool:
    """Whether any reported value or rollup refers to this member. A breakdown key lists
    members separated by "|", so the key is matched whole, never as a prefix."""
    key = member.key
    values = Value.objects.filter(
        Q(breakdown=key)
        | Q(breakdown__startswith=f"{key}|")
        | Q(breakdown__endswith=f"|{key}")
        | Q(breakdown__contains=f"|{key}|")
    )
    return values.exists() or Rollup.objects.filter(member=key).exists()
