from datetime import date

from factory.declarations import LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from collectif.core.models import Province
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.models.contacts import Consent, Contact
from collectif.ecosystem.models.engagement import Engagement, Stage
from collectif.ecosystem.models.relationships import Relationship, RelationshipType


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    slug = Sequence(lambda n: f"organisation-{n}")
    name_en = Sequence(lambda n: f"Mentoring Program {n}")
    name_fr = Sequence(lambda n: f"Programme de mentorat {n}")
    description_en = "Pairs young people with caring adult mentors."
    description_fr = "Jumelle des jeunes avec des personnes mentores bienveillantes."
    sector = LazyFunction(lambda: Sector.objects.get(code="non-profit"))
    head_office_province = LazyFunction(lambda: Province.objects.get(code="ON"))


class RelationshipFactory(DjangoModelFactory[Relationship]):
    """A tie between two fresh organisations; "refers" unless a type is given."""

    class Meta:
        model = Relationship

    source = SubFactory(OrganisationFactory)
    target = SubFactory(OrganisationFactory)
    type = LazyFunction(lambda: RelationshipType.objects.get(code="refers"))


class EngagementFactory(DjangoModelFactory[Engagement]):
    """A pipeline row for a fresh organisation: approached, since 1 March 2026."""

    class Meta:
        model = Engagement

    organisation = SubFactory(OrganisationFactory)
    stage = Stage.APPROACHED
    stage_since = date(2026, 3, 1)


class ContactFactory(DjangoModelFactory[Contact]):
    """A person at a fresh organisation, with no consent recorded."""

    class Meta:
        model = Contact

    organisation = SubFactory(OrganisationFactory)
    name = Sequence(lambda n: f"Contact {n:03d}")
    role_title_en = "Program director"
    role_title_fr = "Directrice des programmes"
    email = Sequence(lambda n: f"contact{n}@example.org")


class ConsentFactory(DjangoModelFactory[Consent]):
    """Express consent given on 3 May 2026 at a webinar, still standing."""

    class Meta:
        model = Consent

    contact = SubFactory(ContactFactory)
    kind = "express"
    basis = "express_request"
    given_on = date(2026, 5, 3)
    source = "the webinar registration form"
