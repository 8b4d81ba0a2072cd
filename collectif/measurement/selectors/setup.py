"""Reads of the measurement setup home: how many of each thing staff define there."""

from dataclasses import dataclass

from collectif.agenda.selectors import plan_version_count
from collectif.measurement.models import Dataset, Dimension, Indicator, Period, ValidationRule


@dataclass(frozen=True)
class SetupCounts:
    indicators: int
    periods: int
    datasets: int
    dimensions: int
    rules: int
    plans: int


def setup_counts() -> SetupCounts:
    return SetupCounts(
        indicators=Indicator.objects.count(),
        periods=Period.objects.count(),
        datasets=Dataset.objects.count(),
        dimensions=Dimension.objects.count(),
        rules=ValidationRule.objects.count(),
        plans=plan_version_count(),
    )
