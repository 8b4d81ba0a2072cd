"""Factories for the measurement tests (shared by the three measurement test suites).

indicator = IndicatorFactory(dimensions=["age"])
dataset = DatasetFactory(indicators=[indicator], organisations=[org])
period = PeriodFactory(code="2026Q1")
submission = SubmissionFactory(organisation=org, dataset=dataset, period=period)
"""

from datetime import timedelta
from typing import Any, cast

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.helpers import post_generation

from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.models import (
    Dataset,
    DatasetIndicator,
    Dimension,
    Indicator,
    Period,
    Submission,
    Value,
)


class IndicatorFactory(DjangoModelFactory[Indicator]):
    """`dimensions=["age", "province"]` (codes or Dimension objects) sets the breakdowns."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    code = Sequence(lambda n: f"indicator_{n}")
    name_en = Sequence(lambda n: f"Young people served {n}")
    name_fr = Sequence(lambda n: f"Jeunes servis {n}")
    definition_en = "Young people with an active mentoring relationship during the period."
    definition_fr = "Jeunes ayant une relation de mentorat active pendant la période."
    kind = Indicator.Kind.PERFORMANCE
    question = Indicator.Question.HOW_MUCH
    unit = Indicator.Unit.COUNT
    aggregation = Indicator.Aggregation.SUM
    is_published = True

    @post_generation
    def dimensions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        for dimension in extracted:
            if isinstance(dimension, str):
                dimension = Dimension.objects.get(code=dimension)
            self.dimensions.add(dimension)


class PeriodFactory(DjangoModelFactory[Period]):
    """Dates come from `parse_period(code)`; the window opens at the end of the period
    and closes 30 days later unless `opens_on`/`deadline` are given."""

    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"{2000 + n // 4}Q{n % 4 + 1}")
    kind = LazyAttribute(lambda o: parse_period(o.code).kind)
    start = LazyAttribute(lambda o: parse_period(o.code).start)
    end = LazyAttribute(lambda o: parse_period(o.code).end)
    opens_on = LazyAttribute(lambda o: parse_period(o.code).end + timedelta(days=1))
    deadline = LazyAttribute(lambda o: parse_period(o.code).end + timedelta(days=30))


class DatasetFactory(DjangoModelFactory[Dataset]):
    """`indicators=[...]` creates the DatasetIndicator rows (in order, all required);
    `organisations=[...]` assigns the dataset."""

    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    code = Sequence(lambda n: f"dataset_{n}")
    name_en = Sequence(lambda n: f"Quarterly mentoring report {n}")
    name_fr = Sequence(lambda n: f"Rapport trimestriel de mentorat {n}")
    frequency = Indicator.Frequency.QUARTER

    @post_generation
    def indicators(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        dataset = cast(Dataset, self)
        for position, indicator in enumerate(extracted, start=1):
            DatasetIndicator.objects.create(
                dataset=dataset, indicator=indicator, position=position, required=True
            )

    @post_generation
    def organisations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        self.organisations.add(*extracted)


class SubmissionFactory(DjangoModelFactory[Submission]):
    class Meta:
        model = Submission
        skip_postgeneration_save = True

    organisation = SubFactory(OrganisationFactory)
    dataset = SubFactory(DatasetFactory)
    period = SubFactory(PeriodFactory)
    status = Submission.Status.DRAFT

    @post_generation
    def assign(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The organisation reports this dataset, as it must to have a submission."""
        if create:
            submission = cast(Submission, self)
            submission.dataset.organisations.add(submission.organisation)


class ValueFactory(DjangoModelFactory[Value]):
    class Meta:
        model = Value

    submission = SubFactory(SubmissionFactory)
    indicator = SubFactory(IndicatorFactory)
    organisation = LazyAttribute(lambda o: o.submission.organisation)
    period = LazyAttribute(lambda o: o.submission.period)
    breakdown = ""
    value = 10


def steward_of(organisation: Any) -> Any:
    """A new person who is a data steward of `organisation`."""
    from collectif.accounts.models import Membership, Role
    from collectif.accounts.tests.factories import UserFactory

    user = UserFactory.create()
    Membership.objects.create(user=user, organisation=organisation, role=Role.STEWARD)
    return user


def backbone_staff() -> Any:
    """A new member of the backbone team."""
    from collectif.accounts.models import Membership, Role
    from collectif.accounts.tests.factories import UserFactory

    user = UserFactory.create()
    Membership.objects.create(user=user, organisation=OrganisationFactory.create(), role=Role.STAFF)
    return user
