"""Reads of the common agenda: the plan's versions, for the pages that manage them and
for the apps that set targets against them."""

from django.db.models import QuerySet
from django.http import Http404

from collectif.agenda.models import PlanVersion


def plan_version_list() -> QuerySet[PlanVersion]:
    """Every version of the plan, the oldest first."""
    return PlanVersion.objects.order_by("number")


def plan_version_count() -> int:
    return PlanVersion.objects.count()


def plan_version_get(*, number: int) -> PlanVersion:
    """The version with this number; a page asking for another answers 404."""
    plan = PlanVersion.objects.filter(number=number).first()
    if plan is None:
        raise Http404
    return plan
