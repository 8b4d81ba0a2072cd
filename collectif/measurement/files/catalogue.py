"""What a partner file may name: the dataset's indicators, and every dimension and member,
by code or by name in either language, read once per file."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from collectif.core.files import normalise_header
from collectif.measurement.models import Dataset, Dimension, DimensionMember, Indicator


def _labels(obj: Any, code: str) -> tuple[str, str, str]:
    """How a file may name something: its code, or its name in either language."""
    return code, getattr(obj, "name_en", "") or "", getattr(obj, "name_fr", "") or ""


@dataclass
class Catalogue:
    """What a file may name: the dataset's indicators, and every dimension and member."""

    dataset_indicators: dict[str, Indicator]
    by_name: dict[str, Indicator]
    other_codes: set[str]
    dimensions: dict[str, Dimension]
    members: dict[int, dict[str, DimensionMember]]
    indicator_dimensions: dict[int, set[int]]

    @cached_property
    def codes(self) -> str:
        """The dataset's codes, as a message lists them."""
        return ", ".join(sorted(self.dataset_indicators))

    @classmethod
    def load(cls, dataset: Dataset) -> "Catalogue":
        items = dataset.items.select_related("indicator")
        dataset_indicators = {item.indicator.code: item.indicator for item in items}
        indicator_dimensions: dict[int, set[int]] = {
            indicator.pk: set() for indicator in dataset_indicators.values()
        }
        for indicator_id, dimension_id in Indicator.dimensions.through.objects.filter(
            indicator__in=list(indicator_dimensions)
        ).values_list("indicator_id", "dimension_id"):
            indicator_dimensions[indicator_id].add(dimension_id)
        by_name: dict[str, Indicator] = {}
        for indicator in dataset_indicators.values():
            for name in _labels(indicator, indicator.code):
                if name:
                    by_name.setdefault(normalise_header(name), indicator)
        other_codes = set(
            Indicator.objects.exclude(code__in=dataset_indicators).values_list("code", flat=True)
        )
        dimensions: dict[str, Dimension] = {}
        members: dict[int, dict[str, DimensionMember]] = defaultdict(dict)
        for dimension in Dimension.objects.prefetch_related("members"):
            for label in _labels(dimension, dimension.code):
                if label:
                    dimensions.setdefault(normalise_header(label), dimension)
            for member in dimension.members.all():
                for label in _labels(member, member.code):
                    if label:
                        members[dimension.pk].setdefault(normalise_header(label), member)
        return cls(
            dataset_indicators=dataset_indicators,
            by_name=by_name,
            other_codes=other_codes,
            dimensions=dimensions,
            members=dict(members),
            indicator_dimensions=indicator_dimensions,
        )
