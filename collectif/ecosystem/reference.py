"""The default lists of a collective impact ecosystem; staff can adapt each of them.

Sectors come from the deck's list of partners; population groups and equity identities
from the groups Mentor Canada's *State of Mentoring* research reports on; relationship
types from the ties the deck names (funding, referrals, partnership, membership,
sponsorship).
"""

from typing import Any

SECTORS = [
    ("non-profit", "Non-profit", "Organisme à but non lucratif"),
    ("business", "Business", "Entreprise"),
    ("government", "Government", "Gouvernement"),
    ("education", "Education", "Éducation"),
    ("funder", "Funder", "Bailleur de fonds"),
    ("research", "Research", "Recherche"),
    ("community", "Community or residents' group", "Groupe communautaire ou de résidents"),
    ("youth-led", "Youth-led", "Organisme dirigé par des jeunes"),
]

POPULATION_GROUPS = [
    ("children", "Children (6 to 11)", "Enfants (6 à 11 ans)"),
    ("adolescents", "Adolescents (12 to 17)", "Adolescents (12 à 17 ans)"),
    ("young-adults", "Young adults (18 to 30)", "Jeunes adultes (18 à 30 ans)"),
    ("indigenous", "Indigenous youth", "Jeunes autochtones"),
    ("black-racialised", "Black and racialised youth", "Jeunes noirs et racisés"),
    ("newcomer", "Newcomer and refugee youth", "Jeunes nouveaux arrivants et réfugiés"),
    ("2slgbtq", "2SLGBTQ+ youth", "Jeunes 2ELGBTQ+"),
    ("disability", "Youth with disabilities", "Jeunes en situation de handicap"),
    ("in-care", "Youth in or leaving care", "Jeunes pris en charge ou qui quittent la protection"),
    ("neet", "Youth not in school or work", "Jeunes ni aux études ni en emploi"),
    ("rural", "Rural and remote youth", "Jeunes en milieu rural ou éloigné"),
    (
        "language-minority",
        "Official-language-minority youth",
        "Jeunes de langue officielle minoritaire",
    ),
]

EQUITY_IDENTITIES = [
    ("indigenous-led", "Indigenous-led", "Dirigé par des Autochtones"),
    ("black-led", "Black-led", "Dirigé par des personnes noires"),
    ("youth-led", "Youth-led", "Dirigé par des jeunes"),
    ("newcomer-serving", "Newcomer-serving", "Au service des nouveaux arrivants"),
    ("2slgbtq-serving", "2SLGBTQ+-serving", "Au service des personnes 2ELGBTQ+"),
    (
        "disability-serving",
        "Disability-serving",
        "Au service des personnes en situation de handicap",
    ),
    ("rural-remote", "Rural or remote", "Rural ou éloigné"),
    ("language-minority", "Official-language-minority", "De langue officielle minoritaire"),
]

# (code, English, French, directional)
RELATIONSHIP_TYPES = [
    ("funds", "funds", "finance", True),
    ("refers", "refers young people to", "oriente des jeunes vers", True),
    ("partners", "partners with", "est partenaire de", False),
    ("member-of", "is a member of", "est membre de", True),
    ("sponsors", "sponsors", "parraine", True),
]


def _load(model: Any, rows: list[tuple[str, str, str]]) -> None:
    for position, (code, name_en, name_fr) in enumerate(rows, start=1):
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "position": position,
            },
        )


def load_sectors(apps: Any) -> None:
    """The sectors alone: the migration that first loaded them calls this."""
    _load(apps.get_model("ecosystem", "Sector"), SECTORS)


def load_reference(apps: Any) -> None:
    """Every default list; put back after a flush and loaded by migration 0004."""
    load_sectors(apps)
    _load(apps.get_model("ecosystem", "PopulationGroup"), POPULATION_GROUPS)
    _load(apps.get_model("ecosystem", "EquityIdentity"), EQUITY_IDENTITIES)
    kind = apps.get_model("ecosystem", "RelationshipType")
    for position, (code, name_en, name_fr, directed) in enumerate(RELATIONSHIP_TYPES, start=1):
        kind.objects.update_or_create(
            code=code,
            defaults={
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "is_directed": directed,
                "position": position,
            },
        )
