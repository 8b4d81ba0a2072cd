"""Reference geography shipped with Collectif; loaded by a migration and after a flush.

Source: Statistics Canada, 2021 Census, table 98-10-0001-01 (Canada: 36,991,981).
"""

from typing import Any

PROVINCES = [
    # code, SGC, English, French, population 2021, territory
    ("NL", 10, "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", 510550, False),
    ("PE", 11, "Prince Edward Island", "Île-du-Prince-Édouard", 154331, False),
    ("NS", 12, "Nova Scotia", "Nouvelle-Écosse", 969383, False),
    ("NB", 13, "New Brunswick", "Nouveau-Brunswick", 775610, False),
    ("QC", 24, "Quebec", "Québec", 8501833, False),
    ("ON", 35, "Ontario", "Ontario", 14223942, False),
    ("MB", 46, "Manitoba", "Manitoba", 1342153, False),
    ("SK", 47, "Saskatchewan", "Saskatchewan", 1132505, False),
    ("AB", 48, "Alberta", "Alberta", 4262635, False),
    ("BC", 59, "British Columbia", "Colombie-Britannique", 5000879, False),
    ("YT", 60, "Yukon", "Yukon", 40232, True),
    ("NT", 61, "Northwest Territories", "Territoires du Nord-Ouest", 41070, True),
    ("NU", 62, "Nunavut", "Nunavut", 36858, True),
]


def load_provinces(apps: Any) -> None:
    """Insert or refresh the provinces; `apps` is a migration's or the live registry."""
    province_model = apps.get_model("core", "Province")
    for code, sgc, name_en, name_fr, population, territory in PROVINCES:
        province_model.objects.update_or_create(
            code=code,
            defaults={
                "sgc_code": sgc,
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "population_2021": population,
                "is_territory": territory,
            },
        )
