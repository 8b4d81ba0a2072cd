"""Which organisation or type a cell of a relationship file names.

Names are compared in either language, without regard to case, accents or punctuation;
when two organisations share a name, the province decides: a province column, or the
province's code after the name, as in `Grands Amis (QC)`.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.core.files.problems import file_problem
from collectif.ecosystem.models import RelationshipType
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.selectors import relationships as selectors

WITH_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<province>[A-Za-z]{2})\s*\)\s*$")


def match_key(text: str) -> str:
    """How names are compared: `« Les Grands Amis » de Montréal` → `les grands amis de montreal`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", plain.casefold()).split())


@dataclass(frozen=True)
class OrganisationRef:
    pk: int
    province: str
    archived: bool


class Directory:
    """The organisations and types a file's cells are matched against, read once."""

    def __init__(self) -> None:
        self.organisations: dict[str, list[OrganisationRef]] = {}
        for item in selectors.organisation_index():
            ref = OrganisationRef(
                pk=item["pk"],
                province=item["head_office_province_id"],
                archived=item["archived_at"] is not None,
            )
            keys = {match_key(item["name_en"] or ""), match_key(item["name_fr"] or "")} - {""}
            for key in keys:
                self.organisations.setdefault(key, []).append(ref)
        self.types: dict[str, RelationshipType] = {}
        for kind in selectors.relationship_type_index():
            for text in (kind.code, kind.name_en, kind.name_fr):  # type: ignore[attr-defined]
                self.types.setdefault(match_key(text or ""), kind)
        self.provinces: dict[str, str] = {}
        for province in organisation_selectors.province_choices():
            for text in (province.code, province.name_en, province.name_fr):  # type: ignore[attr-defined]
                self.provinces[match_key(text or "")] = province.code

    def province(self, text: str) -> str | None:
        return self.provinces.get(match_key(text))

    def find(self, cell: str, province_cell: str) -> tuple[OrganisationRef | None, Any]:
        """The one organisation the cell names, or why there is none (a message)."""
        name, province = cell, self.province(province_cell) if province_cell else None
        candidates = self.organisations.get(match_key(name), [])
        suffix = WITH_PROVINCE.match(cell)
        if not candidates and suffix and self.province(suffix["province"]):
            name, province = suffix["name"], self.province(suffix["province"])
            candidates = self.organisations.get(match_key(name), [])
        if province_cell and province is None:
            return None, _unknown_province(province_cell)
        if province is not None:
            candidates = [c for c in candidates if c.province == province]
        if len(candidates) == 1:
            return candidates[0], None
        if candidates:
            return None, _ambiguous(name)
        return None, _not_found(name, province)


def _not_found(name: str, province: str | None) -> Promise | str:
    if province:
        return lazy_message(
            _(
                "No organisation called “%(name)s” has its head office in %(province)s. "
                "Check the spelling and the province, or add the organisation first."
            ),
            name=name,
            province=province,
        )
    return lazy_message(
        _(
            "No organisation is called “%(name)s”. Check the spelling (either language "
            "will do), or add the organisation first."
        ),
        name=name,
    )


def _ambiguous(name: str) -> Promise | str:
    return lazy_message(
        _(
            "Several organisations are called “%(name)s”. Say which one with its "
            "province: a province column, or the code after the name, as in “%(name)s (QC)”."
        ),
        name=name,
    )


def _unknown_province(text: str) -> Promise | str:
    return lazy_message(
        _("“%(value)s” is not a province or territory. Write its code, such as ON or QC."),
        value=text,
    )


def lazy_message(text: Promise, **params: Any) -> Promise | str:
    """A message filled in the language active when it is shown."""
    return file_problem("row", text, **params).message
