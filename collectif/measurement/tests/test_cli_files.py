"""`collectif measurement template` and `collectif measurement import`."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from collectif.core.files.tests.workbooks import xlsx_bytes
from collectif.core.models import AuditEvent
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Submission, Value
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_validation import mentoring_dataset

DATA = Path(__file__).parent / "data"


@pytest.fixture
def setup(db):
    organisation = OrganisationFactory.create()
    return {
        "organisation": organisation,
        "dataset": mentoring_dataset(organisations=[organisation]),
        "period": PeriodFactory(code="2026Q1"),
    }


def import_args(setup, path, *extra):
    return [
        "measurement",
        "import",
        str(path),
        "--organisation",
        setup["organisation"].slug,
        "--dataset",
        setup["dataset"].code,
        "--period",
        "2026q1",
        *extra,
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_writes_the_file(setup, tmp_path, fmt):
    output = tmp_path / f"template.{fmt}"
    out = io.StringIO()
    call_command(
        "measurement",
        "template",
        "--dataset",
        setup["dataset"].code,
        "--lang",
        "en",
        "--format",
        fmt,
        "--output",
        str(output),
        stdout=out,
    )
    assert f"to {output}" in out.getvalue()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
        assert rows[0][0] == "Indicator code"
        assert len(rows) == 11
    else:
        book = openpyxl.load_workbook(output)
        assert book.sheetnames == ["Data", "Instructions"]


def test_template_of_an_unknown_dataset_fails(setup, tmp_path):
    with pytest.raises(CommandError, match="No dataset with the code “nope”"):
        call_command(
            "measurement", "template", "--dataset", "nope", "--output", str(tmp_path / "x.csv")
        )


@pytest.mark.smoke
def test_import_saves_the_file_as_the_system(setup):
    out = io.StringIO()
    call_command(*import_args(setup, DATA / "french_excel.csv", "--submit"), stdout=out)
    assert "Imported 7 values from 8 rows" in out.getvalue()
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert Value.objects.get(indicator__code="active_mentors").value == Decimal(1010)
    event = AuditEvent.objects.get(action="measurement.submission_import")
    assert event.actor_label == "system"


@pytest.mark.smoke
def test_import_prints_every_error_with_row_and_column_and_fails(setup, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"Indicator code,Value\nactive_mentors,-3\nyoung_people_servd,4\nactive_mentors,x\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 error"):
        call_command(*import_args(setup, path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Error (row 2, column “Value”): ")
    assert lines[1].startswith("Error (row 3, column “Indicator code”): ")
    assert lines[2].startswith("Error (row 4, column “Value”): “x” is not a number")
    assert not Submission.objects.exists()


def test_import_errors_can_be_printed_in_french(setup, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Code;Valeur\nactive_mentors;x\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*import_args(setup, path, "--lang", "fr"), stderr=err)
    assert err.getvalue().startswith(
        "Erreur (ligne 2, colonne «\u202fValeur\u202f»)\u00a0: «\u202fx\u202f»"
    )


def test_a_wrong_period_is_explained(setup):
    args = import_args(setup, DATA / "french_excel.csv")
    args[args.index("2026q1")] = "2026Q5"
    with pytest.raises(CommandError, match="is not a period"):
        call_command(*args)
    args[args.index("2026Q5")] = "2027Q1"
    with pytest.raises(CommandError, match="The period 2027Q1 does not exist yet"):
        call_command(*args)
    assert not Submission.objects.exists()


def test_an_unknown_organisation_or_file_is_explained(setup, tmp_path):
    args = import_args(setup, tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="No file at"):
        call_command(*args)
    args[args.index(setup["organisation"].slug)] = "nobody"
    with pytest.raises(CommandError, match="No organisation with the slug “nobody”"):
        call_command(*args)


def test_a_big_file_shows_a_progress_bar(setup, tmp_path, capsys):
    path = tmp_path / "big.csv"
    body = b"Indicator code,Value\nactive_mentors,7\n" + b"young_people_served,\n" * 60_000
    path.write_bytes(body)
    assert path.stat().st_size > 1024 * 1024
    call_command(*import_args(setup, path), stdout=io.StringIO())
    assert "100%" in capsys.readouterr().err
    assert Value.objects.get().value == Decimal(7)


# --- The person's language, and replacing saved values ----------------------------------

NEW_FILE = b"Indicator code,Value\nactive_mentors,1500\n"


def test_every_line_of_an_import_is_in_french_with_canadian_numbers(setup, tmp_path):
    path = tmp_path / "data.csv"
    rows = "".join("young_people_served,\n" for _ in range(1200))
    path.write_text(f"Indicator code,Value\nactive_mentors,1234\n{rows}", encoding="utf-8")
    out = io.StringIO()
    call_command(*import_args(setup, path, "--lang", "fr"), stdout=out)
    assert "Import terminé\u00a0: 1 valeur provenant de 1\u00a0201 lignes, dans" in out.getvalue()
    assert "(Brouillon)" in out.getvalue()


def test_a_refused_import_ends_in_french(setup, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Indicator code,Value\n" + b"active_mentors,\n" * 1200)
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*import_args(setup, path, "--lang", "fr"), stderr=err)
    assert str(caught.value) == "1 erreur dans bad.csv\u00a0: rien n’a été importé."
    assert "Le fichier a 1\u00a0200 lignes" in err.getvalue()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("change", "french"),
    [
        (("--organisation", "nobody"), "Aucun organisme n’a l’identifiant «\u202fnobody\u202f»."),
        (("--dataset", "nope"), "Aucun jeu de données n’a le code «\u202fnope\u202f»."),
        (("--period", "2027Q1"), "La période 2027Q1 n’existe pas encore."),
    ],
)
def test_command_errors_are_in_french(setup, change, french):
    args = import_args(setup, DATA / "french_excel.csv", "--lang", "fr")
    option, value = change
    args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=french):
        call_command(*args)


def test_a_missing_file_is_explained_in_french(setup, tmp_path):
    with pytest.raises(CommandError, match="Aucun fichier à"):
        call_command(*import_args(setup, tmp_path / "missing.csv", "--lang", "fr"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_saved_values_are_replaced_only_with_replace(setup, tmp_path, language):
    call_command(*import_args(setup, DATA / "french_excel.csv"), stdout=io.StringIO())
    path = tmp_path / "new.csv"
    path.write_bytes(NEW_FILE)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*import_args(setup, path, "--lang", language), stdout=out)
    assert "--replace" in str(caught.value)
    assert Value.objects.count() == 7
    printed = out.getvalue()
    if language == "en":
        assert "0 added, 1 changed, 6 removed, 0 unchanged" in printed
        assert "Changed: Active mentors, total: 1,010 → 1,500" in printed
        assert "age:" not in printed
        assert "7 values are already saved for this period" in str(caught.value)
    else:
        assert (
            "Modifiée\u00a0: Personnes mentores actives, total\u00a0: 1\u00a0010 → 1\u00a0500"
            in (printed)
        )
        assert "7 valeurs sont déjà enregistrées" in str(caught.value)
    out = io.StringIO()
    call_command(*import_args(setup, path, "--lang", language, "--replace"), stdout=out)
    assert list(Value.objects.values_list("indicator__code", "value")) == [
        ("active_mentors", Decimal(1500))
    ]
    expected = "The 7 values replaced are kept" if language == "en" else "Les 7 valeurs remplacées"
    assert expected in out.getvalue()


def test_a_comma_header_with_semicolon_rows_never_replaces_a_draft(setup, tmp_path):
    call_command(*import_args(setup, DATA / "french_excel.csv"), stdout=io.StringIO())
    before = sorted(Value.objects.values_list("indicator__code", "breakdown", "value"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"Indicator code,Age group,Value\r\n" + b"active_mentors;;99\r\n" * 102)
    for extra in ((), ("--replace",)):
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command(*import_args(setup, path, *extra), stderr=io.StringIO())
    assert sorted(Value.objects.values_list("indicator__code", "breakdown", "value")) == before


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_huge_numbers_are_a_clear_error_not_a_traceback(setup, tmp_path, language, kind):
    path = tmp_path / f"huge.{kind}"
    if kind == "csv":
        path.write_bytes(b"Indicator code,Value\nactive_mentors," + b"9" * 30 + b"\n")
    else:
        path.write_bytes(xlsx_bytes([["Indicator code", "Value"], ["active_mentors", 1e308]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*import_args(setup, path, "--lang", language), stderr=err)
    words = "too large" if language == "en" else "trop grand"
    assert words in err.getvalue()
    assert not Submission.objects.exists()
