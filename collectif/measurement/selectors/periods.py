"""Reads of the period setup pages, for backbone staff only (the views check)."""

from django.db.models import QuerySet
from django.http import Http404

from collectif.measurement.models import Period


def period_for_setup(*, code: str) -> Period:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise Http404
    return period


def periods_for_setup() -> QuerySet[Period]:
    """The newest first: staff mostly look at the periods to come."""
    return Period.objects.order_by("-start", "kind")


def periods_in_order() -> QuerySet[Period]:
    return Period.objects.order_by("start", "kind")


def yearly_periods() -> QuerySet[Period]:
    """The periods yearly targets are set for: calendar and fiscal years."""
    return Period.objects.filter(kind__in=[Period.Kind.YEAR, Period.Kind.FISCAL_YEAR]).order_by(
        "start", "kind"
    )
