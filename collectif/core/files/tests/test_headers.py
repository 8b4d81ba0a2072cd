"""Headers compared as people mean them: without case, accents or punctuation."""

import pytest

from collectif.core.files import header_role, normalise_header

ALIASES = {"code": ("code", "code de l indicateur"), "value": ("value", "valeur")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Unité de l’indicateur ", "unite de l indicateur"),
        ("VALEUR", "valeur"),
        ("Groupe d'âge", "groupe d age"),
        ("Filles et femmes+", "filles et femmes+"),
    ],
)
def test_headers_are_normalised(text, expected):
    assert normalise_header(text) == expected


def test_a_header_names_its_role_in_either_language():
    assert header_role("Code de l’indicateur", ALIASES) == "code"
    assert header_role(" Valeur ", ALIASES) == "value"
    assert header_role("Budget", ALIASES) is None
