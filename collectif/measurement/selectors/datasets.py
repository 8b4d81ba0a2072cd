"""Reads of the dataset setup pages, for backbone staff only (the views check)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from collectif.ecosystem.models import Organisation, Sector
from collectif.measurement.models import Dataset, DatasetIndicator


def datasets_for_setup() -> QuerySet[Dataset]:
    return Dataset.objects.prefetch_related("items__indicator").annotate(
        assigned=Count("organisations", distinct=True)
    )


def dataset_for_setup(*, code: str) -> Dataset:
    dataset = Dataset.objects.filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


def dataset_items(*, dataset: Dataset | None) -> dict[int, DatasetIndicator]:
    """The dataset's indicators by indicator id (none for a dataset not yet made)."""
    if dataset is None:
        return {}
    return {item.indicator_id: item for item in dataset.items.all()}


def dataset_assigned_ids(*, dataset: Dataset) -> set[int]:
    """The ids of the organisations that report the dataset."""
    return set(dataset.organisations.values_list("pk", flat=True))


def assignable_organisations() -> QuerySet[Organisation]:
    """Organisations that can be asked to report: those not archived."""
    return Organisation.objects.filter(archived_at__isnull=True)


def organisations_for_assignment(
    *, query: str = "", sector: Sector | None = None
) -> QuerySet[Organisation]:
    """Assignable organisations matching a name or slug, and a sector."""
    organisations = assignable_organisations().select_related("sector", "head_office_province")
    query = query.strip()
    if query:
        organisations = organisations.filter(
            Q(name_en__icontains=query) | Q(name_fr__icontains=query) | Q(slug__icontains=query)
        )
    if sector is not None:
        organisations = organisations.filter(sector=sector)
    return organisations.order_by("name_en", "pk")


def active_sectors() -> QuerySet[Sector]:
    return Sector.objects.filter(is_active=True)
