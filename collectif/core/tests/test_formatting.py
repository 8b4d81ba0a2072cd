"""Numbers, money, dates and bilingual content, the way each language writes them in Canada."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import formats, translation
from hypothesis import given
from hypothesis import strategies as st

from collectif.core.files import parse_number
from collectif.core.formatting import MINUS, csv_number, format_number
from collectif.core.models import Province

NBSP = "\u00a0"
SPACES = (NBSP, "\u202f", " ")


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234.5"), ("fr", f"1{NBSP}234,5")],
)
def test_numbers_use_each_languages_separators(language: str, expected: str) -> None:
    assert render("{{ value|number }}", language, value=Decimal("1234.5")) == expected


def test_a_number_can_be_shown_with_fixed_decimals() -> None:
    assert render("{{ value|number:2 }}", "en", value=1234) == "1,234.00"
    assert render("{{ value|number:0 }}", "fr", value=Decimal("1234567.4")) == (
        f"1{NBSP}234{NBSP}567"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,234.50"), ("fr", f"1{NBSP}234,50{NBSP}$"), ("en", "\u2212$3.00")],
)
def test_money_is_written_the_canadian_way(language: str, expected: str) -> None:
    value = Decimal("-3") if expected.startswith("\u2212") else Decimal("1234.5")
    assert render("{{ value|money }}", language, value=value) == expected


def test_values_that_are_not_numbers_are_shown_unchanged() -> None:
    assert render("[{{ value|number }}][{{ none|money }}]", "fr", value="n/a", none=None) == (
        "[n/a][]"
    )


@pytest.mark.parametrize(
    ("language", "date_text", "time_text"),
    [("en", "November 24, 2026", "1:30 p.m."), ("fr", "24 novembre 2026", "13 h 30")],
)
def test_dates_and_times_follow_each_languages_style(
    language: str, date_text: str, time_text: str
) -> None:
    moment = datetime.datetime(2026, 11, 24, 13, 30)  # noqa: DTZ001 - formatting only
    with translation.override(language):
        assert formats.date_format(moment) == date_text
        assert formats.time_format(moment.time()) == time_text
        assert formats.date_format(moment, "DATETIME_FORMAT") == f"{date_text}, {time_text}"
    assert render("{{ day|date }}", language, day=moment.date()) == date_text


@pytest.mark.parametrize(
    ("language", "first", "other"),
    [
        ("en", "December 1, 2026", "December 2, 2026"),
        ("fr", "1er décembre 2026", "2 décembre 2026"),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_french(
    language: str, first: str, other: str
) -> None:
    template = "{% load collectif %}{{ day|long_date }}"
    assert render(template, language, day=datetime.date(2026, 12, 1)) == first
    assert render(template, language, day=datetime.date(2026, 12, 2)) == other
    assert render(template, language, day=datetime.date(2026, 12, 11)).startswith("11 ") == (
        language == "fr"
    )


@override_settings(TIME_ZONE="America/Toronto")
def test_a_moment_reads_in_local_time_with_its_ordinal_day() -> None:
    moment = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=datetime.UTC)
    template = "{% load collectif %}{{ moment|long_datetime }}"
    assert render(template, "fr", moment=moment) == "1er décembre 2026, 9 h 05"
    assert render(template, "en", moment=moment) == "December 1, 2026, 9:05 a.m."


def test_django_localize_agrees_with_our_number_filter() -> None:
    with translation.override("fr"):
        assert formats.localize(Decimal("1234.5")) == f"1{NBSP}234,5"
    with translation.override("en"):
        assert formats.localize(Decimal("1234.5")) == "1,234.5"


def _parse_french(text: str) -> Decimal:
    for space in SPACES:
        text = text.replace(space, "")
    return Decimal(text.replace(",", "."))


@given(
    st.integers(min_value=0, max_value=3).flatmap(
        lambda places: st.decimals(
            min_value=Decimal("-1e12"),
            max_value=Decimal("1e12"),
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
)
def test_french_numbers_read_back_to_the_same_value(value: Decimal) -> None:
    written = format_number(value, language="fr")
    assert "." not in written and "-" not in written
    assert _parse_french(written.replace(MINUS, "-")) == value
    assert parse_number(written, decimal_comma=True) == value


@pytest.mark.parametrize(("language", "shown"), [("en", "\u221268"), ("fr", "\u221268")])
def test_a_negative_number_takes_the_minus_sign_and_reads_back(language: str, shown: str) -> None:
    assert format_number(-68, language=language) == shown
    assert parse_number(shown, decimal_comma=language == "fr") == Decimal(-68)
    assert csv_number(-68, language) == "-68"  # spreadsheets read the hyphen


@given(st.integers(min_value=1000, max_value=10**12))
def test_english_numbers_group_thousands_with_commas(value: int) -> None:
    written = format_number(value, language="en")
    assert Decimal(written.replace(",", "")) == value
    assert all(len(group) == 3 for group in written.split(",")[1:])


def _province(name_en: str, name_fr: str) -> Province:
    return Province(code="ZZ", sgc_code=99, name_en=name_en, name_fr=name_fr, population_2021=1)


def test_translated_content_shows_the_readers_language() -> None:
    province = _province("Quebec", "Québec")
    source = '{% translated province "name" %}'
    assert render(source, "fr", province=province) == "Québec"
    assert render(source, "en", province=province) == "Quebec"


def test_missing_french_shows_the_english_with_a_visible_note() -> None:
    html = render('{% translated province "name" %}', "fr", province=_province("Yukon Lodge", ""))
    assert html == (
        '<span lang="en">Yukon Lodge</span> '
        '<span class="fallback-note">(en anglais seulement)</span>'
    )


def test_missing_english_shows_the_french_with_a_visible_note() -> None:
    html = render('{% translated province "name" %}', "en", province=_province("", "Gîte"))
    assert html == (
        '<span lang="fr">Gîte</span> <span class="fallback-note">(in French only)</span>'
    )


def test_translated_content_is_escaped() -> None:
    html = render('{% translated p "name" %}', "fr", p=_province("<b>A&B</b>", ""))
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html
    assert "<b>" not in html


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "\u221238.1%"), ("fr", "\u221238,1\u00a0%")]
)
def test_percentages_follow_each_languages_typography(language: str, expected: str) -> None:
    assert render("{{ value|percent:1 }}", language, value=Decimal("-38.12")) == expected
