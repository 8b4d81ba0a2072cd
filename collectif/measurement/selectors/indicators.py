"""Reads of the indicator setup pages, for backbone staff only (the views check)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from collectif.measurement.models import Indicator


def indicator_search(*, query: str = "", published: str = "") -> QuerySet[Indicator]:
    """Indicators matching a code or a name in either language; `published` is
    "published", "internal" or "" for both."""
    indicators = Indicator.objects.prefetch_related("datasets").order_by("position", "code")
    query = query.strip()
    if query:
        indicators = indicators.filter(
            Q(code__icontains=query) | Q(name_en__icontains=query) | Q(name_fr__icontains=query)
        )
    if published == "published":
        indicators = indicators.filter(is_published=True)
    elif published == "internal":
        indicators = indicators.filter(is_published=False)
    return indicators


def indicator_count() -> int:
    return Indicator.objects.count()


def indicator_list() -> QuerySet[Indicator]:
    """Every indicator, in the scorecard's order."""
    return Indicator.objects.order_by("position", "code")


def indicator_for_setup(*, code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def indicator_others(*, indicator: Indicator) -> QuerySet[Indicator]:
    """The indicators one may weight by or compute from: every one but itself."""
    return indicator_list().exclude(pk=indicator.pk)


def reportable_indicators() -> QuerySet[Indicator]:
    """Indicators partners can report: computed ones are evaluated, never reported."""
    return indicator_list().exclude(source=Indicator.Source.COMPUTED)
