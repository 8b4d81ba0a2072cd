"""The default sectors of a collective impact ecosystem; staff can adapt the list."""

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


def load_sectors(apps: Any) -> None:
    sector_model = apps.get_model("ecosystem", "Sector")
    for position, (code, name_en, name_fr) in enumerate(SECTORS, start=1):
        sector_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "position": position,
            },
        )
