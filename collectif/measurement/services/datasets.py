"""Writes of the datasets: what partners report each period, and which partners report it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import assign, audit_record, field_values, save_changed
from collectif.ecosystem.models import Organisation
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import Dataset, DatasetIndicator, Indicator
from collectif.measurement.permissions import MANAGE

# The indicators a dataset asks for, in order, each with whether it is required.
Items = Sequence[tuple[Indicator, bool]]


@dataclass(frozen=True)
class DatasetData:
    """Everything staff write about a dataset but its code and its indicators."""

    name_en: str
    name_fr: str
    description_en: str = ""
    description_fr: str = ""
    frequency: str = Indicator.Frequency.QUARTER
    is_active: bool = True


def _item_codes(items: Iterable[tuple[str, bool]]) -> list[str]:
    """The audit's view of a list of indicators: codes in order, "?" after optional ones."""
    return [f"{code}{'' if required else '?'}" for code, required in items]


def _set_items(dataset: Dataset, items: Items) -> list[str]:
    """Replace the dataset's indicators: `items` in order, each with its required flag."""
    DatasetIndicator.objects.filter(dataset=dataset).delete()
    DatasetIndicator.objects.bulk_create(
        [
            DatasetIndicator(
                dataset=dataset, indicator=indicator, position=position, required=required
            )
            for position, (indicator, required) in enumerate(items, start=1)
        ]
    )
    return _item_codes((indicator.code, required) for indicator, required in items)


@transaction.atomic
def dataset_create(*, actor: Actor, code: str, data: DatasetData, items: Items) -> Dataset:
    """A dataset asking for the indicators of `items`, in this order."""
    require(actor, MANAGE)
    dataset = Dataset(code=code, **field_values(data))
    dataset.full_clean()
    dataset.save()
    audit_record(
        actor=actor,
        action=MeasurementAction.DATASET_CREATE,
        target=dataset,
        changes={"code": code, "indicators": _set_items(dataset, items)},
    )
    results_version_bump()  # who reports what: the completeness page's rows
    return dataset


@transaction.atomic
def dataset_update(
    *, actor: Actor, dataset: Dataset, data: DatasetData, items: Items | None = None
) -> Dataset:
    """Change a dataset, writing only the fields that differ; `items` replaces its
    indicators.

    Values already reported stay with their submissions; the forms and templates ask
    for the new list from the next save on."""
    require(actor, MANAGE)
    changes = assign(dataset, field_values(data))
    dataset.full_clean()
    save_changed(dataset, changes)
    if items is not None:
        old = _item_codes(dataset.items.values_list("indicator__code", "required"))
        new = _set_items(dataset, items)
        if old != new:
            changes["indicators"] = [old, new]
    audit_record(
        actor=actor, action=MeasurementAction.DATASET_UPDATE, target=dataset, changes=changes
    )
    results_version_bump()  # who reports what: the completeness page's rows
    return dataset


@transaction.atomic
def dataset_assign(
    *, actor: Actor, dataset: Dataset, organisations: Iterable[Organisation]
) -> Dataset:
    """Add organisations to those that report this dataset."""
    require(actor, MANAGE)
    organisations = list(organisations)
    dataset.organisations.add(*organisations)
    audit_record(
        actor=actor,
        action=MeasurementAction.DATASET_ASSIGN,
        target=dataset,
        changes={"organisations": [o.slug for o in organisations]},
    )
    results_version_bump()  # who reports what: the completeness page's rows
    return dataset


@transaction.atomic
def dataset_assignment_change(
    *,
    actor: Actor,
    dataset: Dataset,
    assign: Iterable[Organisation],
    unassign: Iterable[Organisation],
) -> tuple[int, int]:
    """Add and remove organisations that report this dataset; returns how many of each
    actually changed. Submissions already made stay: an organisation that no longer
    reports the dataset simply stops owing it."""
    require(actor, MANAGE)
    current = set(dataset.organisations.values_list("pk", flat=True))
    added = [o for o in assign if o.pk not in current]
    removed = [o for o in unassign if o.pk in current]
    dataset.organisations.add(*added)
    dataset.organisations.remove(*removed)
    if added or removed:
        audit_record(
            actor=actor,
            action=MeasurementAction.DATASET_ASSIGNMENT_CHANGE,
            target=dataset,
            changes={
                "assigned": [o.slug for o in added],
                "unassigned": [o.slug for o in removed],
            },
        )
        results_version_bump()  # who reports what: the completeness page's rows
    return len(added), len(removed)
