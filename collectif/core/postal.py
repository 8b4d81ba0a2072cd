"""Canadian postal codes: normalise any common spelling, find the area and province.

The forward sortation area (FSA, the first three characters) centroids come from the
`pypostalcode` package's bundled database, so nothing is fetched at run time.
"""

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypostalcode.settings import db_location

# Letters D, F, I, O, Q, U are never used; W and Z never start a code.
_FIRST = "ABCEGHJKLMNPRSTVXY"
_OTHER = "ABCEGHJKLMNPRSTVWXYZ"
# ASCII digits only: `\d` would also accept other scripts' digits, which no code uses.
_POSTAL_RE = re.compile(rf"^([{_FIRST}][0-9][{_OTHER}])([0-9][{_OTHER}][0-9])?$")

# X is shared by the Northwest Territories and Nunavut: only the FSA table can tell them apart.
PROVINCE_BY_FIRST_LETTER = {
    "A": "NL",
    "B": "NS",
    "C": "PE",
    "E": "NB",
    "G": "QC",
    "H": "QC",
    "J": "QC",
    "K": "ON",
    "L": "ON",
    "M": "ON",
    "N": "ON",
    "P": "ON",
    "R": "MB",
    "S": "SK",
    "T": "AB",
    "V": "BC",
    "Y": "YT",
}
_PROVINCE_BY_PACKAGE_NAME = {
    "Newfoundland and Labrador": "NL",
    "Nova Scotia": "NS",
    "Prince Edward Island": "PE",
    "New Brunswick": "NB",
    "Quebec": "QC",
    "Ontario": "ON",
    "Manitoba": "MB",
    "Saskatchewan": "SK",
    "Alberta": "AB",
    "British Columbia": "BC",
    "Yukon": "YT",
    "Northwest Territory": "NT",
    "Nunavut Territory": "NU",
}


@dataclass(frozen=True)
class PostalArea:
    """Where a postal code is: its FSA, province and the FSA's centroid if known."""

    postal_code: str
    fsa: str
    province_code: str
    place: str
    latitude: float | None
    longitude: float | None


class InvalidPostalCodeError(ValidationError):
    pass


def normalise_postal_code(raw: str) -> str:
    """`h2x-1y4`, ` H2X 1Y4 ` and `H2X1Y4` all become `H2X 1Y4` (or `H2X` alone)."""
    compact = re.sub(r"[\s\-\u00a0\u202f]+", "", raw or "").upper()
    match = _POSTAL_RE.fullmatch(compact)
    if not match:
        raise InvalidPostalCodeError(
            _(
                "“%(value)s” is not a Canadian postal code. "
                "Write it like A1A 1A1, for example H2X 1Y4."
            ),
            code="invalid_postal_code",
            params={"value": (raw or "").strip()[:20]},
        )
    fsa, ldu = match.groups()
    return f"{fsa} {ldu}" if ldu else fsa


@lru_cache(maxsize=1)
def _fsa_table() -> dict[str, tuple[str, str, float, float]]:
    connection = sqlite3.connect(f"file:{db_location}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT fsa, city, province, latitude, longitude FROM PostalCodes"
        ).fetchall()
    finally:
        connection.close()
    return {
        fsa.upper(): (city, _PROVINCE_BY_PACKAGE_NAME.get(province, ""), lat, lon)
        for fsa, city, province, lat, lon in rows
    }


def postal_area(raw: str) -> PostalArea:
    """Find the area of a postal code; raises InvalidPostalCodeError with a bilingual message."""
    code = normalise_postal_code(raw)
    fsa = code[:3]
    known = _fsa_table().get(fsa)
    if known:
        place, province, lat, lon = known
        return PostalArea(code, fsa, province, place, lat, lon)
    province = PROVINCE_BY_FIRST_LETTER.get(fsa[0], "")
    if not province:
        raise InvalidPostalCodeError(
            _("We do not know the area “%(value)s”. Check the first three characters."),
            code="unknown_fsa",
            params={"value": fsa},
        )
    return PostalArea(code, fsa, province, "", None, None)
