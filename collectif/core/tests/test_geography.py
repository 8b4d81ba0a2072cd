"""Reference geography: the 13 provinces and territories, and Canadian postal codes."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from collectif.core import selectors
from collectif.core.models import Province
from collectif.core.postal import (
    InvalidPostalCodeError,
    normalise_postal_code,
    postal_area,
)

CENSUS_2021 = {
    "NL": (10, 510_550, "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "PE": (11, 154_331, "Prince Edward Island", "Île-du-Prince-Édouard"),
    "NS": (12, 969_383, "Nova Scotia", "Nouvelle-Écosse"),
    "NB": (13, 775_610, "New Brunswick", "Nouveau-Brunswick"),
    "QC": (24, 8_501_833, "Quebec", "Québec"),
    "ON": (35, 14_223_942, "Ontario", "Ontario"),
    "MB": (46, 1_342_153, "Manitoba", "Manitoba"),
    "SK": (47, 1_132_505, "Saskatchewan", "Saskatchewan"),
    "AB": (48, 4_262_635, "Alberta", "Alberta"),
    "BC": (59, 5_000_879, "British Columbia", "Colombie-Britannique"),
    "YT": (60, 40_232, "Yukon", "Yukon"),
    "NT": (61, 41_070, "Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": (62, 36_858, "Nunavut", "Nunavut"),
}

FIRST = "ABCEGHJKLMNPRSTVXY"
OTHER = "ABCEGHJKLMNPRSTVWXYZ"
DIGIT = "0123456789"


@pytest.mark.django_db
def test_each_province_has_its_census_population_sgc_code_and_two_names() -> None:
    rows = selectors.province_list().values_list(
        "code", "sgc_code", "population_2021", "name_en", "name_fr"
    )
    found = {code: tuple(values) for code, *values in rows}
    assert found == CENSUS_2021
    assert selectors.canada_population() == 36_991_981


@pytest.mark.django_db
def test_only_the_three_territories_are_territories() -> None:
    territories = set(Province.objects.filter(is_territory=True).values_list("code", flat=True))
    assert territories == {"YT", "NT", "NU"}


@pytest.mark.django_db
def test_province_names_follow_the_readers_language() -> None:
    province = Province.objects.get(code="BC")
    with translation.override("fr"):
        assert province.name == "Colombie-Britannique"
    with translation.override("en"):
        assert province.name == "British Columbia"


postal_codes = st.builds(
    lambda a, b, c, d, e, f: f"{a}{b}{c} {d}{e}{f}",
    st.sampled_from(FIRST),
    st.sampled_from(DIGIT),
    st.sampled_from(OTHER),
    st.sampled_from(DIGIT),
    st.sampled_from(OTHER),
    st.sampled_from(DIGIT),
)


def _spellings(code: str) -> list[str]:
    compact = code.replace(" ", "")
    return [
        code,
        code.lower(),
        compact,
        compact.lower(),
        code.replace(" ", "-"),
        code.replace(" ", "\u00a0"),
        code.replace(" ", "\u202f"),
        f"  {code.lower()}\t",
        f"\n{compact}  ",
        f"{code[:3]} - {code[4:]}",
    ]


@given(postal_codes)
def test_every_spelling_of_a_postal_code_normalises_to_the_same_code(code: str) -> None:
    assert {normalise_postal_code(spelling) for spelling in _spellings(code)} == {code}


@given(postal_codes)
def test_a_valid_code_always_finds_its_province_or_says_why_not(code: str) -> None:
    try:
        area = postal_area(code)
    except InvalidPostalCodeError as error:
        assert error.code == "unknown_fsa"
        assert code.startswith("X")  # Only X is shared, by two territories.
    else:
        assert area.postal_code == code
        assert area.fsa == code[:3]
        assert area.province_code in CENSUS_2021


@pytest.mark.parametrize(
    ("raw", "province", "place"),
    [
        ("H2X1Y4", "QC", "Plateau Mont-Royal"),
        ("k1a 0b1", "ON", "Government of Canada"),
        ("X0A 0H0", "NU", "Iqaluit"),
        ("X1A 2P3", "NT", "Yellowknife"),
        ("Y1A 1A1", "YT", "Whitehorse"),
        ("T2P-1J9", "AB", "Calgary"),
    ],
)
def test_a_postal_code_finds_its_area_and_province(raw: str, province: str, place: str) -> None:
    area = postal_area(raw)
    assert area.province_code == province
    assert place in area.place
    assert area.latitude is not None
    assert area.longitude is not None
    assert 41 < area.latitude < 84
    assert -142 < area.longitude < -52


def test_a_forward_sortation_area_alone_is_accepted() -> None:
    assert normalise_postal_code(" h2x ") == "H2X"
    assert postal_area("h2x").province_code == "QC"


@pytest.mark.parametrize(
    "raw", ["D1A 1A1", "123456", "H2X 1Y", "", "   ", "W1A 1A1", "Z1A 1A1", "H2X 1Y4 5", "H٢X 1Y4"]
)
def test_impossible_codes_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPostalCodeError):
        postal_area(raw)


def test_the_refusal_is_in_the_readers_language() -> None:
    with translation.override("fr"), pytest.raises(InvalidPostalCodeError) as refused:
        normalise_postal_code("D1A 1A1")
    with translation.override("fr"):
        assert refused.value.messages == [
            "«\u202fD1A 1A1\u202f» n’est pas un code postal canadien. "
            "Écrivez-le sous la forme A1A 1A1, par exemple H2X 1Y4."
        ]
    with translation.override("en"):
        assert refused.value.messages == [
            "“D1A 1A1” is not a Canadian postal code. Write it like A1A 1A1, for example H2X 1Y4."
        ]


def test_an_unknown_northern_area_is_refused_in_french_too() -> None:
    with translation.override("fr"), pytest.raises(InvalidPostalCodeError) as refused:
        postal_area("X9Z 9Z9")
    with translation.override("fr"):
        assert "Nous ne connaissons pas la région «\u202fX9Z\u202f»" in refused.value.messages[0]
