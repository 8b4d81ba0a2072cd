"""What replacing a submission's saved values by new ones changes, in words.

Before a file replaces saved values, the person sees the values it adds, changes and
removes, each named by its indicator and breakdown members (never by raw keys such as
`age:12-17`) with numbers written the Canadian way in their language.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from collectif.measurement.domain.breakdowns import parse_key
from collectif.measurement.domain.cells import expected_keys
from collectif.measurement.domain.validation import CellValue, number_text
from collectif.measurement.models import Dataset, DimensionMember, Indicator, SubmissionVersion

# How many values of each kind a summary lists by name (the counts are always whole).
LISTED = 200


@dataclass(frozen=True)
class Change:
    """One cell that differs: its name, and its value before and after (text or "")."""

    cell: str
    old: str = ""
    new: str = ""


@dataclass
class ValueChanges:
    """The cells a replacement adds, changes and removes (the first `LISTED` of each)."""

    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    added_count: int = 0
    changed_count: int = 0
    removed_count: int = 0
    unchanged_count: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added_count or self.changed_count or self.removed_count)


def version_cells(version: SubmissionVersion) -> list[CellValue]:
    """A history version's frozen values as cells, exactly as they were saved."""
    return [
        CellValue(item["indicator"], item["breakdown"], Decimal(item["value"]))
        for item in version.values
    ]


class _Names:
    """Cell names in the active language, each dimension member read once."""

    def __init__(self, dataset: Dataset, keys: Iterable[tuple[str, str]]) -> None:
        codes = {code for code, _breakdown in keys}
        self.indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        self.members = {
            (m.dimension.code, m.code): m.name
            for m in DimensionMember.objects.select_related("dimension")
        }

    def cell(self, code: str, breakdown: str) -> str:
        indicator = self.indicators.get(code)
        name = indicator.name if indicator is not None else code
        members = [self.members.get(item, item[1]) for item in parse_key(breakdown).items()]
        if not members:
            return _("%(indicator)s, total") % {"indicator": name}
        return _("%(indicator)s, %(members)s") % {
            "indicator": name,
            "members": ", ".join(members),
        }


def compare_cells(
    saved: Iterable[CellValue], new: Iterable[CellValue], dataset: Dataset
) -> ValueChanges:
    """The difference between the saved values and those that would replace them.

    Values are equal when their numbers are (12 and 12.0 are the same value). Cells
    come in the dataset's order, as in its form and template.
    """
    before: dict[tuple[str, str], Decimal] = {
        (c.indicator_code, c.breakdown): c.value for c in saved
    }
    after: dict[tuple[str, str], Decimal] = {(c.indicator_code, c.breakdown): c.value for c in new}
    order = {
        (code, breakdown): index
        for index, (code, breakdown) in enumerate(
            (code, breakdown)
            for code, breakdowns in expected_keys(dataset).items()
            for breakdown in breakdowns
        )
    }
    keys = sorted(before.keys() | after.keys(), key=lambda key: (order.get(key, len(order)), key))
    names = _Names(dataset, keys)
    changes = ValueChanges()
    for key in keys:
        old, value = before.get(key), after.get(key)
        if old is not None and value is not None and old == value:
            changes.unchanged_count += 1
            continue
        if old is None:
            kind = "added"
        elif value is None:
            kind = "removed"
        else:
            kind = "changed"
        count = getattr(changes, f"{kind}_count") + 1
        setattr(changes, f"{kind}_count", count)
        if count <= LISTED:
            getattr(changes, kind).append(
                Change(
                    cell=names.cell(*key),
                    old="" if old is None else number_text(old),
                    new="" if value is None else number_text(value),
                )
            )
    return changes
