"""Column headers as people type them: compared without case, accents or punctuation.

An importer names its columns by role, each with the spellings it accepts in either
language (`{"value": ("value", "valeur", "amount")}`), and asks `header_role` which role
a header of the file plays.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache


@lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """`"  Unité de l’indicateur "` → `"unite de l indicateur"`: how headers are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", plain.casefold()).split())


def header_role(text: str, aliases: Mapping[str, Iterable[str]]) -> str | None:
    """Which role a header names, given each role's accepted (normalised) spellings."""
    normalised = normalise_header(text)
    for role, spellings in aliases.items():
        if normalised in spellings:
            return role
    return None
