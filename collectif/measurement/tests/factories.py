"""Factories for the measurement tests (shared by the three measurement test suites).

indicator = IndicatorFactory(dimensions=["age"])
dataset = DatasetFactory(indicators=[indicator], organisations=[org])
period = PeriodFactory(code="2026Q1")
submission = SubmissionFactory(organisation=org, dataset=dataset, period=period)
"""

from datetime import date, timedelta
from typing import Any, cast

import factory
from factory.django import DjangoModelFactory

from collectif.agenda.models import PlanVersion
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

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name_en = factory.Sequence(lambda n: f"Young people served {n}")
    name_fr = factory.Sequence(lambda n: f"Jeunes servis {n}")
    definition_en = "Young people with an active mentoring relationship during the period."
    definition_fr = "Jeunes ayant une relation de mentorat active pendant la période."
    kind = Indicator.Kind.PERFORMANCE
    question = Indicator.Question.HOW_MUCH
    unit = Indicator.Unit.COUNT
    aggregation = Indicator.Aggregation.SUM
    is_published = True

    @factory.post_generation
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

    code = factory.Sequence(lambda n: f"{2000 + n // 4}Q{n % 4 + 1}")
    kind = factory.LazyAttribute(lambda o: parse_period(o.code).kind)
    start = factory.LazyAttribute(lambda o: parse_period(o.code).start)
    end = factory.LazyAttribute(lambda o: parse_period(o.code).end)
    opens_on = factory.LazyAttribute(lambda o: parse_period(o.code).end + timedelta(days=1))
    deadline = factory.LazyAttribute(lambda o: parse_period(o.code).end + timedelta(days=30))


class DatasetFactory(DjangoModelFactory[Dataset]):
    """`indicators=[...]` creates the DatasetIndicator rows (in order, all required);
    `organisations=[...]` assigns the dataset."""

    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"dataset_{n}")
    name_en = factory.Sequence(lambda n: f"Quarterly mentoring report {n}")
    name_fr = factory.Sequence(lambda n: f"Rapport trimestriel de mentorat {n}")
    frequency = Indicator.Frequency.QUARTER

    @factory.post_generation
    def indicators(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        dataset = cast(Dataset, self)
        for position, indicator in enumerate(extracted, start=1):
            DatasetIndicator.objects.create(
                dataset=dataset, indicator=indicator, position=position, required=True
            )

    @factory.post_generation
    def organisations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        self.organisations.add(*extracted)


class SubmissionFactory(DjangoModelFactory[Submission]):
    class Meta:
        model = Submission
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    dataset = factory.SubFactory(DatasetFactory)
    period = factory.SubFactory(PeriodFactory)
    status = Submission.Status.DRAFT

    @factory.post_generation
    def assign(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The organisation reports this dataset, as it must to have a submission."""
        if create:
            submission = cast(Submission, self)
            submission.dataset.organisations.add(submission.organisation)


class ValueFactory(DjangoModelFactory[Value]):
    class Meta:
        model = Value

    submission = factory.SubFactory(SubmissionFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    organisation = factory.LazyAttribute(lambda o: o.submission.organisation)
    period = factory.LazyAttribute(lambda o: o.submission.period)
    breakdown = ""
    value = 10


class PlanVersionFactory(DjangoModelFactory[PlanVersion]):
    class Meta:
        model = PlanVersion
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    name_en = factory.LazyAttribute(lambda o: f"Plan version {o.number}")
    name_fr = factory.LazyAttribute(lambda o: f"Plan, version {o.number}")
    adopted_on = factory.LazyAttribute(lambda o: date(2024 + o.number, 4, 1))
    is_original = factory.LazyAttribute(lambda o: o.number == 1)
    is_current = False


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
