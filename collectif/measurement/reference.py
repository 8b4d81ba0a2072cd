"""Default dimensions for a Canadian initiative; staff can add members or dimensions."""

from typing import Any

from collectif.core.reference import PROVINCES

DIMENSIONS: list[tuple[str, str, str, bool, bool, list[tuple[str, str, str]]]] = [
    (
        "province",
        "Province or territory",
        "Province ou territoire",
        True,
        True,
        [(code, name_en, name_fr) for code, _sgc, name_en, name_fr, _pop, _t in PROVINCES],
    ),
    (
        "age",
        "Age group",
        "Groupe d’âge",
        False,
        True,
        [
            ("6-11", "6 to 11 years", "6 à 11 ans"),
            ("12-17", "12 to 17 years", "12 à 17 ans"),
            ("18-24", "18 to 24 years", "18 à 24 ans"),
        ],
    ),
    (
        "gender",
        "Gender",
        "Genre",
        False,
        True,
        [
            ("women", "Girls and women+", "Filles et femmes+"),
            ("men", "Boys and men+", "Garçons et hommes+"),
            ("diverse", "Gender-diverse people", "Personnes de diverses identités de genre"),
            ("not-stated", "Not stated", "Non déclaré"),
        ],
    ),
    (
        "population",
        "Population group",
        "Groupe de population",
        False,
        False,
        [
            ("indigenous", "Indigenous youth", "Jeunes autochtones"),
            ("black", "Black youth", "Jeunes Noirs"),
            ("racialized", "Racialized youth", "Jeunes racisés"),
            ("newcomer", "Newcomer youth", "Jeunes nouvellement arrivés"),
            ("2slgbtq", "2SLGBTQ+ youth", "Jeunes 2ELGBTQ+"),
            ("disability", "Youth with a disability", "Jeunes en situation de handicap"),
            ("rural", "Rural or remote youth", "Jeunes en milieu rural ou éloigné"),
            (
                "olmc",
                "Official-language minority youth",
                "Jeunes de langue officielle en situation minoritaire",
            ),
        ],
    ),
]


def load_dimensions(apps: Any) -> None:
    dimension_model = apps.get_model("measurement", "Dimension")
    member_model = apps.get_model("measurement", "DimensionMember")
    for position, (code, name_en, name_fr, is_province, adds_up, members) in enumerate(
        DIMENSIONS, start=1
    ):
        dimension, _created = dimension_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "is_province": is_province,
                "adds_up": adds_up,
                "position": position,
            },
        )
        for member_position, (member_code, member_en, member_fr) in enumerate(members, start=1):
            member_model.objects.update_or_create(
                dimension=dimension,
                code=member_code,
                defaults={
                    "name": member_en,
                    "name_en": member_en,
                    "name_fr": member_fr,
                    "position": member_position,
                },
            )
