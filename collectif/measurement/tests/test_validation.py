"""Rows to cells and cell checks: every problem found, with its row, column and what to do."""

import io
from decimal import Decimal

import pytest
from django.utils import translation

from collectif.core.files import read_table
from collectif.measurement.domain.cells import expected_cells, expected_keys
from collectif.measurement.domain.validation import (
    CellValue,
    Problem,
    describe_problem,
    validate_cells,
)
from collectif.measurement.files.rows import rows_to_cells
from collectif.measurement.models import DatasetIndicator, Indicator, ValidationRule
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory


def mentoring_dataset(**kwargs):
    """A dataset like the demo's: served (by age and gender), mentors, caring adult share."""
    served = IndicatorFactory(
        code="young_people_served",
        name_en="Young people served",
        name_fr="Jeunes servis",
        dimensions=["age", "gender"],
    )
    mentors = IndicatorFactory(
        code="active_mentors", name_en="Active mentors", name_fr="Personnes mentores actives"
    )
    share = IndicatorFactory(
        code="caring_adult_share",
        name_en="Youth reporting a caring adult",
        name_fr="Part des jeunes ayant un adulte bienveillant",
        unit=Indicator.Unit.PERCENT,
        aggregation=Indicator.Aggregation.MEAN,
    )
    return DatasetFactory.create(indicators=[served, mentors, share], **kwargs)


def read(text: str, dataset, encoding: str = "utf-8"):
    table = read_table(io.BytesIO(text.encode(encoding)), filename="data.csv")
    return rows_to_cells(table, dataset)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0]


# --- rows_to_cells --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.smoke
def test_french_headers_names_and_members_become_cells():
    dataset = mentoring_dataset()
    cells, problems = read(
        "CODE DE L’INDICATEUR;Nom de l'indicateur;groupe d age;Genre;Unité;VALEUR\n"
        "young_people_served;Jeunes servis;;;Nombre;1 234\n"
        "young_people_served;Jeunes servis;12 à 17 ans;;Nombre;534\n"
        ";Jeunes servis;;Filles et femmes+;Nombre;700\n"
        "active_mentors;;;;Nombre;\n"
        "caring_adult_share;;;;Pourcentage;87,5\n",
        dataset,
    )
    assert problems == []
    assert cells == [
        CellValue("young_people_served", "", Decimal(1234)),
        CellValue("young_people_served", "age:12-17", Decimal(534)),
        CellValue("young_people_served", "gender:women", Decimal(700)),
        CellValue("caring_adult_share", "", Decimal("87.5")),
    ]
    assert [cell.row for cell in cells] == [2, 3, 4, 6]


@pytest.mark.django_db
def test_english_headers_member_codes_and_indicator_names_are_understood():
    dataset = mentoring_dataset()
    cells, problems = read(
        "Indicator,Age group,Gender,Value\n"
        "Young people served,6-11,,10\n"
        "young people served,,Boys and men+,4\n",
        dataset,
    )
    assert problems == []
    assert [(c.breakdown, c.value) for c in cells] == [
        ("age:6-11", Decimal(10)),
        ("gender:men", Decimal(4)),
    ]


@pytest.mark.django_db
@pytest.mark.smoke
def test_every_problem_of_a_file_is_reported_with_its_row_and_column():
    dataset = mentoring_dataset()
    IndicatorFactory(code="volunteer_inquiries")
    _cells, problems = read(
        "Indicator code,Age group,Value\n"
        "young_people_servd,,10\n"
        "volunteer_inquiries,,10\n"
        "young_people_served,13 to 15 years,10\n"
        "active_mentors,,twelve\n"
        "active_mentors,,-3\n"
        "caring_adult_share,,150\n"
        "young_people_served,12 to 17 years,5\n"
        "young_people_served,12-17,6\n"
        "active_mentors,12-17,6\n"
        "young_people_served,,2.5\n",
        dataset,
    )
    found = [(p.row, p.column, p.code) for p in problems]
    assert found == [
        (2, "Indicator code", "unknown_indicator"),
        (3, "Indicator code", "not_in_dataset"),
        (4, "Age group", "unknown_member"),
        (5, "Value", "not_a_number"),
        (6, "Value", "negative"),
        (7, "Value", "percent_range"),
        (9, "Indicator code", "duplicate"),
        (10, "Age group", "not_broken_down"),
        (11, "Value", "not_whole"),
    ]
    messages = {p.code: p.message for p in problems}
    assert "“young_people_servd”" in messages["unknown_indicator"]
    assert (
        "active_mentors, caring_adult_share, young_people_served" in messages["unknown_indicator"]
    )
    assert "6 to 11 years, 12 to 17 years, 18 to 24 years" in messages["unknown_member"]
    assert "“twelve” is not a number" in messages["not_a_number"]
    assert "a count cannot be" in messages["negative"]
    assert "Rows 8 and 9" in messages["duplicate"]


@pytest.mark.django_db
def test_problems_are_written_in_french_for_a_french_speaker():
    dataset = mentoring_dataset()
    with translation.override("fr"):
        _cells, problems = read("Code;Valeur\nactive_mentors;douze\nactive_mentors;-3\n", dataset)
        assert "«\u202fdouze\u202f» n’est pas un nombre" in problems[0].message
        assert "Personnes mentores actives" in problems[1].message
        assert describe_problem(problems[0]).startswith(
            "Erreur (ligne 2, colonne «\u202fValeur\u202f»)\u00a0:"
        )


@pytest.mark.django_db
def test_a_missing_column_is_reported_before_any_row():
    dataset = mentoring_dataset()
    cells, problems = read("Indicator code,Amount due\nactive_mentors,3\n", dataset)
    assert cells == []
    problem = only(problems)
    assert problem.code == "missing_column"
    assert "“Value”" in problem.message
    _cells, problems = read("Age group,Value\n12-17,3\n", dataset)
    assert only(problems).column == "Indicator code"


@pytest.mark.django_db
def test_a_row_combining_two_breakdowns_is_refused():
    dataset = mentoring_dataset()
    _cells, problems = read(
        "Indicator code,Age group,Gender,Value\nyoung_people_served,12-17,women,3\n", dataset
    )
    assert only(problems).code == "several_members"


@pytest.mark.django_db
def test_a_computed_indicator_is_never_reported():
    dataset = mentoring_dataset()
    served, mentors = (item.indicator for item in dataset.items.all()[:2])
    ratio = IndicatorFactory(
        code="youth_per_mentor",
        source=Indicator.Source.COMPUTED,
        numerator=served,
        denominator=mentors,
    )
    dataset.items.create(indicator=ratio, position=9)
    _cells, problems = read("Indicator code,Value\nyouth_per_mentor,3\n", dataset)
    assert only(problems).code == "computed"


@pytest.mark.django_db
def test_a_value_without_an_indicator_is_reported():
    dataset = mentoring_dataset()
    _cells, problems = read("Indicator code,Value\n,3\n", dataset)
    assert only(problems).code == "no_indicator"


# --- validate_cells -------------------------------------------------------------------


def cells_of(*triples):
    return [CellValue(code, breakdown, Decimal(value)) for code, breakdown, value in triples]


@pytest.mark.django_db
def test_required_totals_are_checked_only_when_submitting():
    dataset = mentoring_dataset()
    cells = cells_of(("active_mentors", "", 3))
    assert validate_cells(cells, dataset, require_complete=False) == []
    problems = validate_cells(cells, dataset, require_complete=True)
    assert {p.column for p in problems} == {"young_people_served/", "caring_adult_share/"}
    assert all(p.code == "required" for p in problems)


@pytest.mark.django_db
def test_ranges_are_checked_by_unit():
    dataset = mentoring_dataset()
    problems = validate_cells(
        cells_of(("active_mentors", "", -1), ("caring_adult_share", "", "100.5")),
        dataset,
        require_complete=False,
    )
    assert [(p.column, p.code) for p in problems] == [
        ("active_mentors/", "negative"),
        ("caring_adult_share/", "percent_range"),
    ]


@pytest.mark.django_db
def test_parts_must_add_up_to_the_total():
    dataset = mentoring_dataset()
    parts = [("young_people_served", f"age:{age}", 10) for age in ("6-11", "12-17", "18-24")]
    assert (
        validate_cells(
            cells_of(("young_people_served", "", 30), *parts), dataset, require_complete=False
        )
        == []
    )
    problem = only(
        validate_cells(
            cells_of(("young_people_served", "", 31), *parts), dataset, require_complete=False
        )
    )
    assert problem.severity == "error"
    assert problem.column == "young_people_served/"
    assert "add up to 30, but the total is 31" in problem.message


@pytest.mark.django_db
def test_parts_already_above_the_total_are_reported_even_if_some_are_missing():
    dataset = mentoring_dataset()
    problem = only(
        validate_cells(
            cells_of(
                ("young_people_served", "", 10),
                ("young_people_served", "gender:women", 8),
                ("young_people_served", "gender:men", 7),
            ),
            dataset,
            require_complete=False,
        )
    )
    assert "more than the total of 10" in problem.message


@pytest.mark.django_db
def test_a_disagreement_is_only_a_warning_when_the_indicator_says_so():
    dataset = mentoring_dataset()
    Indicator.objects.filter(code="young_people_served").update(
        consistency=Indicator.Consistency.WARNING
    )
    parts = [("young_people_served", f"age:{age}", 10) for age in ("6-11", "12-17", "18-24")]
    problem = only(
        validate_cells(
            cells_of(("young_people_served", "", 50), *parts), dataset, require_complete=False
        )
    )
    assert problem.severity == "warning"


@pytest.mark.django_db
def test_overlapping_groups_are_not_expected_to_add_up():
    served = IndicatorFactory(code="served_groups", dimensions=["population"])
    dataset = DatasetFactory.create(indicators=[served])
    cells = cells_of(("served_groups", "", 10), ("served_groups", "population:newcomer", 8))
    cells += cells_of(("served_groups", "population:rural", 9))
    assert validate_cells(cells, dataset, require_complete=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("severity", ["error", "warning"])
def test_rules_between_indicators_apply_on_the_same_breakdown(severity):
    dataset = mentoring_dataset()
    indicators = {item.indicator.code: item.indicator for item in dataset.items.all()}
    ValidationRule.objects.create(
        code="served_within_reach",
        left=indicators["active_mentors"],
        operator=ValidationRule.Operator.LTE,
        right=indicators["young_people_served"],
        severity=severity,
        message_en="Active mentors cannot outnumber the young people served.",
        message_fr="Les personnes mentores actives ne peuvent dépasser les jeunes servis.",
    )
    fine = cells_of(("active_mentors", "", 5), ("young_people_served", "", 9))
    assert validate_cells(fine, dataset, require_complete=False) == []
    wrong = cells_of(("active_mentors", "", 12), ("young_people_served", "", 9))
    problem = only(validate_cells(wrong, dataset, require_complete=False))
    assert problem.severity == severity
    assert problem.code == "rule:served_within_reach"
    assert problem.message.startswith("Active mentors cannot outnumber the young people served.")
    assert "Active mentors: 12" in problem.message
    with translation.override("fr"):
        problem = only(validate_cells(wrong, dataset, require_complete=False))
        assert problem.message.startswith("Les personnes mentores actives ne peuvent dépasser")


@pytest.mark.django_db
def test_problems_found_on_cells_from_a_file_keep_their_row():
    dataset = mentoring_dataset()
    cells, problems = read(
        "Indicator code,Age group,Value\n"
        "young_people_served,,31\n"
        "young_people_served,6-11,10\n"
        "young_people_served,12-17,10\n"
        "young_people_served,18-24,10\n",
        dataset,
    )
    assert problems == []
    assert only(validate_cells(cells, dataset, require_complete=False)).row == 2


@pytest.mark.django_db
def test_expected_keys_are_the_expected_cells_as_lookups():
    served = IndicatorFactory.create(dimensions=["age", "gender"])
    budget = IndicatorFactory.create(unit=Indicator.Unit.DOLLARS, dimensions=["age"])
    dataset = DatasetFactory.create(indicators=[served, budget])
    DatasetIndicator.objects.filter(indicator=budget).update(required=False)
    keys = expected_keys(dataset)
    assert [(code, list(breakdowns.items())) for code, breakdowns in keys.items()] == [
        (
            code,
            [
                (c.breakdown, c.required)
                for c in expected_cells(dataset)
                if c.indicator.code == code
            ],
        )
        for code in (served.code, budget.code)
    ]
    assert keys[served.code][""] is True
    assert keys[budget.code][""] is False
    assert keys[budget.code]["age:12-17"] is False
    assert len(keys[served.code]) == 1 + 3 + 4


# --- Numbers no column can hold --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code", "english", "french"),
    [
        ("1" * 30, "too_large", "1.1111 × 10²⁹ is too large", "1,1111 × 10²⁹ est trop grand"),
        ("1e308", "too_large", "1 × 10³⁰⁸ is too large", "1 × 10³⁰⁸ est trop grand"),
        ("100000000000000", "too_large", "100,000,000,000,000 is too large", "trop grand"),
        ("NaN", "not_finite", "“NaN” is not a number", "«\u202fNaN\u202f» n’est pas un nombre"),
        ("-Infinity", "not_finite", "“−∞” is not a number", "«\u202f−∞\u202f»"),
    ],
)
def test_values_no_column_can_hold_are_named_in_both_languages(value, code, english, french):
    dataset = mentoring_dataset()
    cells = [
        CellValue("active_mentors", "", Decimal(value)),
        CellValue("young_people_served", "", Decimal(value)),
        CellValue("young_people_served", "age:6-11", Decimal(4)),
    ]
    for language, words in (("en", english), ("fr", french)):
        with translation.override(language):
            problems = validate_cells(cells, dataset, require_complete=False)
        assert [p.code for p in problems] == [code, code]
        assert words in problems[0].message
    if code == "too_large":
        message = validate_cells(cells[:1], dataset, require_complete=False)[0].message
        assert "the largest value this indicator accepts is 99,999,999,999,999" in message
