"""Reads of the baselines and targets, for the setup pages (backbone staff only).

Plan versions are read through agenda's selectors: measurement sets figures against
them but never writes them."""

from collections.abc import Sequence

from django.db.models import Count

from collectif.agenda.models import PlanVersion
from collectif.measurement.models import CANADA, Baseline, Indicator, Target


def indicator_baseline(*, indicator: Indicator) -> Baseline | None:
    """The indicator's Canada-wide baseline, if it has one."""
    return (
        Baseline.objects.select_related("period").filter(indicator=indicator, region=CANADA).first()
    )


def indicator_targets(*, indicator: Indicator) -> dict[tuple[int, int], Target]:
    """The indicator's Canada-wide targets by (plan version id, period id)."""
    return {
        (t.plan_version_id, t.period_id): t
        for t in Target.objects.filter(indicator=indicator, region=CANADA)
    }


def target_counts(plans: Sequence[PlanVersion]) -> dict[int, int]:
    """How many targets each plan version holds, by its id (in one query)."""
    counts = (
        Target.objects.filter(plan_version__in=plans)
        .order_by()
        .values("plan_version")
        .annotate(count=Count("pk"))
        .values_list("plan_version", "count")
    )
    return dict(counts)
