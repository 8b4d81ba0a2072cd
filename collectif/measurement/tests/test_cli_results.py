import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Submission, Value
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory

ROWS = 1500


@pytest.fixture
def many_values() -> None:
    """ROWS approved values (more than one database chunk), plus one not approved."""
    indicator = IndicatorFactory.create(code="served", name_fr="Jeunes servis")
    dataset = DatasetFactory.create(indicators=[indicator])
    period = PeriodFactory.create(code="2024Q1")
    organisations = [OrganisationFactory.create() for _ in range(3)]
    for organisation in organisations:
        submission = Submission.objects.create(
            organisation=organisation,
            dataset=dataset,
            period=period,
            status=Submission.Status.APPROVED,
        )
        Value.objects.bulk_create(
            Value(
                submission=submission,
                indicator=indicator,
                organisation=organisation,
                period=period,
                breakdown=f"population:group{n}",
                value=Decimal(n) - 10,
            )
            for n in range(ROWS // 3)
        )
    draft = Submission.objects.create(
        organisation=OrganisationFactory.create(), dataset=dataset, period=period
    )
    Value.objects.create(
        submission=draft,
        indicator=indicator,
        organisation=draft.organisation,
        period=period,
        value=1,
    )


@pytest.mark.django_db
@pytest.mark.smoke
def test_export_csv_writes_every_approved_value(
    many_values: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectif.measurement.files import exports

    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    output = tmp_path / "values.csv"
    call_command("measurement", "export", "--format", "csv", "--output", str(output))
    with output.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][-1] == "Value"
    assert len(rows) == ROWS + 1
    population = rows[0].index("Population group")
    values = sorted(Decimal(row[-1]) for row in rows[1:])
    assert values[0] == -10 and values[-1] == ROWS // 3 - 11
    assert sum(values) == 3 * sum(Decimal(n) - 10 for n in range(ROWS // 3))
    assert {row[population] for row in rows[1:]} == {f"group{n}" for n in range(ROWS // 3)}


@pytest.mark.django_db
def test_export_xlsx_in_french(many_values: None, tmp_path: Path) -> None:
    output = tmp_path / "values.xlsx"
    call_command(
        "measurement", "export", "--format", "xlsx", "--output", str(output), "--lang", "fr"
    )
    sheet = load_workbook(output, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Valeur"
    assert len(rows) == ROWS + 1
    assert {row[3] for row in rows[1:]} == {"Jeunes servis"}
    assert min(row[-1] for row in rows[1:]) == -10  # type: ignore[type-var]


@pytest.mark.django_db
def test_export_to_a_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command(
            "measurement", "export", "--format", "csv", "--output", str(tmp_path / "no" / "x.csv")
        )
