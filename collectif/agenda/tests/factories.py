"""Test data for the common agenda."""

from datetime import date

from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory

from collectif.agenda.models import PlanVersion


class PlanVersionFactory(DjangoModelFactory[PlanVersion]):
    """Version 1 is the original plan, as in a real movement."""

    class Meta:
        model = PlanVersion
        django_get_or_create = ("number",)

    number = Sequence(lambda n: n + 1)
    name_en = LazyAttribute(lambda o: f"Plan version {o.number}")
    name_fr = LazyAttribute(lambda o: f"Plan, version {o.number}")
    adopted_on = LazyAttribute(lambda o: date(2024 + o.number, 4, 1))
    is_original = LazyAttribute(lambda o: o.number == 1)
    is_current = False
