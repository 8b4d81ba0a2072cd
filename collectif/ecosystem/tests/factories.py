from factory.declarations import LazyFunction, Sequence
from factory.django import DjangoModelFactory

from collectif.core.models import Province
from collectif.ecosystem.models import Organisation, Sector


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
