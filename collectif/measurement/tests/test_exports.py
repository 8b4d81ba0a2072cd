import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from collectif.core.formatting import csv_number
from collectif.core.spreadsheets import neutralise
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.files import exports
from collectif.measurement.models import Submission
from collectif.measurement.selectors import results
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from collectif.measurement.tests.results_data import approve


@pytest.fixture
def data() -> None:
    change = IndicatorFactory.create(
        code="waitlist_change",
        name_en='=HYPERLINK("http://evil")',
        name_fr="+Variation de la liste d'attente",
        dimensions=["age"],
    )
    dataset = DatasetFactory.create(indicators=[change])
    period = PeriodFactory.create(code="2024Q1")
    organisation = OrganisationFactory.create(
        slug="big-sisters", name_en="@Big Sisters", name_fr="Grandes Sœurs"
    )
    approve(
        organisation,
        dataset,
        period,
        {(change, ""): Decimal("-12.5"), (change, "age:12-17"): Decimal("-2")},
    )
    approve(
        OrganisationFactory.create(),
        dataset,
        period,
        {(change, ""): 999},
        status=Submission.Status.SUBMITTED,
    )


def _csv(language: str) -> list[list[str]]:
    text = "".join(exports.csv_lines(language))
    assert text.startswith("\ufeff")
    delimiter = ";" if language == "fr" else ","
    assert delimiter in text.splitlines()[0]
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


@pytest.mark.django_db
@pytest.mark.smoke
def test_csv_has_bom_headers_and_only_approved_values(data: None) -> None:
    rows = _csv("en")
    assert rows[0][:5] == [
        "Organisation (short name)",
        "Organisation",
        "Indicator code",
        "Indicator",
        "Period",
    ]
    assert rows[0][-1] == "Value"
    assert "Age group" in rows[0]
    age = rows[0].index("Age group")
    assert len(rows) == 3  # the submitted (not approved) value stays out
    total, part = sorted(rows[1:], key=lambda r: r[age])
    assert total[0] == "big-sisters"
    assert total[1] == "'@Big Sisters"
    assert total[3] == '\'=HYPERLINK("http://evil")'
    assert total[-1] == "-12.5"  # a negative number stays a number
    assert part[age] == "12-17" and part[-1] == "-2"


@pytest.mark.django_db
def test_csv_headers_and_names_in_french(data: None) -> None:
    rows = _csv("fr")
    assert rows[0][0] == "Organisme (nom court)"
    assert rows[0][-1] == "Valeur"
    assert rows[1][1] == "Grandes Sœurs"
    assert rows[1][3] == "'+Variation de la liste d'attente"


@pytest.mark.django_db
def test_xlsx_keeps_numbers_as_numbers_and_neutralises_text(data: None) -> None:
    buffer = io.BytesIO()
    count = exports.write_xlsx(buffer, "en")
    buffer.seek(0)
    sheet = load_workbook(buffer, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert count == 2 and len(rows) == 3
    assert rows[0][0] == "Organisation (short name)"
    values = sorted(float(str(row[-1])) for row in rows[1:])
    assert values == [-12.5, -2]
    assert all(isinstance(row[-1], int | float) for row in rows[1:])
    assert rows[1][1] == "'@Big Sisters"
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'


def test_neutralise_only_touches_text() -> None:
    assert neutralise("-5") == "'-5"
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("Mentors") == "Mentors"
    assert neutralise(Decimal("-5")) == Decimal("-5")
    assert csv_number(Decimal("100.000000"), "en") == "100"
    assert csv_number(Decimal("-0.250000"), "en") == "-0.25"
    assert csv_number(Decimal("-0.250000"), "fr") == "-0,25"


@pytest.mark.django_db
def test_long_exports_report_their_progress(data: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    steps: list[int] = []
    count = exports.write_csv(io.StringIO(), "en", progress=steps.append)
    assert count == results.approved_value_count() > 0
    assert sum(steps) == count
