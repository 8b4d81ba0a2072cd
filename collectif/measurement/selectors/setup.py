"""Reads of the measurement setup pages, for backbone staff only (the views check)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from collectif.agenda.models import PlanVersion
from collectif.ecosystem.models import Organisation, Sector
from collectif.measurement.models import (
    CANADA,
    Dataset,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Rollup,
    Target,
    ValidationRule,
    Value,
)


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
        plans=PlanVersion.objects.count(),
    )


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


def indicator_for_setup(*, code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def reportable_indicators() -> QuerySet[Indicator]:
    """Indicators partners can report: computed ones are evaluated, never reported."""
    return Indicator.objects.exclude(source=Indicator.Source.COMPUTED).order_by("position", "code")


def period_for_setup(*, code: str) -> Period:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise Http404
    return period


def periods_for_setup() -> QuerySet[Period]:
    return Period.objects.order_by("-start", "kind")


def yearly_periods() -> QuerySet[Period]:
    """The periods yearly targets are set for: calendar and fiscal years."""
    return Period.objects.filter(kind__in=[Period.Kind.YEAR, Period.Kind.FISCAL_YEAR]).order_by(
        "start", "kind"
    )


def datasets_for_setup() -> QuerySet[Dataset]:
    return Dataset.objects.prefetch_related("items__indicator").annotate(
        assigned=Count("organisations", distinct=True)
    )


def dataset_for_setup(*, code: str) -> Dataset:
    dataset = Dataset.objects.filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


def organisations_for_assignment(
    *, query: str = "", sector: Sector | None = None
) -> QuerySet[Organisation]:
    """Organisations that can be asked to report: those not archived."""
    organisations = Organisation.objects.filter(archived_at__isnull=True).select_related(
        "sector", "head_office_province"
    )
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


def rules_for_setup() -> QuerySet[ValidationRule]:
    return ValidationRule.objects.select_related("left", "right").order_by("code")


def rule_for_setup(*, code: str) -> ValidationRule:
    rule = ValidationRule.objects.filter(code=code).first()
    if rule is None:
        raise Http404
    return rule


def plans_for_setup() -> QuerySet[PlanVersion]:
    return PlanVersion.objects.annotate(target_count=Count("targets")).order_by("number")


def plan_for_setup(*, number: int) -> PlanVersion:
    plan = PlanVersion.objects.filter(number=number).first()
    if plan is None:
        raise Http404
    return plan


def indicator_targets(*, indicator: Indicator) -> dict[tuple[int, int], Target]:
    """The indicator's Canada-wide targets by (plan version id, period id)."""
    return {
        (t.plan_version_id, t.period_id): t
        for t in Target.objects.filter(indicator=indicator, region=CANADA)
    }
