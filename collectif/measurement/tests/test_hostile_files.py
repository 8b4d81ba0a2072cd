"""The hostile-file corpus through the importer, the command line and the upload page.

A partner's draft already holds saved values: a refused file leaves them as they were,
with no audit event and a message in both languages; an accepted file stores exactly
the values it holds.
"""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from collectif.core.files.tests.corpus import Case, Values, cases
from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Value
from collectif.measurement.services.files import submission_import
from collectif.measurement.services.submissions import SubmissionInvalid
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_validation import mentoring_dataset

CASES = cases()
BY_NAME = {case.name: case for case in CASES}
SAVED = b"Indicator code,Value\r\nactive_mentors,5\r\nyoung_people_served,100\r\n"
SAVED_VALUES: Values = {
    ("active_mentors", ""): Decimal(5),
    ("young_people_served", ""): Decimal(100),
}
# A sample of the corpus for the command line and the upload page.
SAMPLE = [
    "header ',', rows ';'",
    "utf-8 header, cp1252 rows",
    "Excel error #DIV/0!",
    "a password-protected workbook",
    "billion laughs in a sheet",
    "an unclosed quotation mark",
    "50,000 columns in a row",
    "a truncated workbook",
    "'1e308' in a ';' file",
    "encoding utf-16 with BOM",
    "a hidden first sheet",
    "'1 200' in a ';' file",
    "a macro workbook (.xlsm)",
]
SAMPLE_CASES = [BY_NAME[name] for name in SAMPLE]
# Python's own error texts, which a person must never be shown.
PYTHON_TEXT = ("Traceback", "Error:", "Exception", "codec", "field larger", "object has no")


@pytest.fixture
def fresh(db):
    organisation = OrganisationFactory.create()
    return {
        "organisation": organisation,
        "dataset": mentoring_dataset(organisations=[organisation]),
        "period": PeriodFactory(code="2026Q1"),
        "steward": user_with_role("steward", organisation),
    }


@pytest.fixture
def setup(fresh):
    """A draft that already holds saved values."""
    run(fresh, SAVED, "saved.csv")
    assert stored(fresh) == SAVED_VALUES
    return fresh


def run(setup, content: bytes, filename: str, **kwargs):
    return submission_import(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
        data=io.BytesIO(content),
        filename=filename,
        **kwargs,
    )


def stored(setup) -> Values:
    values = Value.objects.filter(submission__organisation=setup["organisation"])
    return {
        (code, breakdown): value
        for code, breakdown, value in values.values_list("indicator__code", "breakdown", "value")
    }


def test_the_corpus_holds_accepted_and_refused_files():
    assert len(CASES) >= 100
    assert sum(isinstance(case.imported, dict) for case in CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_is_imported_exactly_or_refused_writing_nothing(setup, case: Case):
    if isinstance(case.imported, dict):
        run(setup, case.content, case.filename, sheet=case.sheet, replace=True)
        assert stored(setup) == case.imported
        return
    events = AuditEvent.objects.count()
    messages = {}
    for language in ("en", "fr"):
        with translation.override(language), pytest.raises(SubmissionInvalid) as caught:
            run(setup, case.content, case.filename, sheet=case.sheet, replace=True)
        problems = caught.value.problems
        assert case.imported in [problem.code for problem in problems]
        messages[language] = [str(problem.message) for problem in problems]
    assert stored(setup) == SAVED_VALUES
    assert AuditEvent.objects.count() == events
    assert messages["en"] != messages["fr"]
    for message in [*messages["en"], *messages["fr"]]:
        assert not any(fragment in message for fragment in PYTHON_TEXT), message


def import_args(setup, path: Path, *extra: str) -> list[str]:
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
        "--replace",
        *extra,
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("case", SAMPLE_CASES, ids=SAMPLE)
def test_the_command_line_imports_or_refuses_without_a_traceback(
    setup, tmp_path, case: Case, language
):
    path = tmp_path / case.filename
    path.write_bytes(case.content)
    extra = ["--lang", language, *(["--sheet", case.sheet] if case.sheet else [])]
    out, err = io.StringIO(), io.StringIO()
    if isinstance(case.imported, dict):
        call_command(*import_args(setup, path, *extra), stdout=out, stderr=err)
        assert stored(setup) == case.imported
        return
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError):
        call_command(*import_args(setup, path, *extra), stdout=out, stderr=err)
    assert err.getvalue().strip()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    assert stored(setup) == SAVED_VALUES
    assert AuditEvent.objects.count() == events


def post(client, setup, case: Case, language: str):
    with translation.override(language):
        url = reverse("measurement:upload", args=[setup["organisation"].slug])
    return client.post(
        url,
        {
            "dataset": setup["dataset"].code,
            "period": setup["period"].code,
            "file": SimpleUploadedFile(case.filename, case.content),
        },
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "case",
    [case for case in SAMPLE_CASES if isinstance(case.imported, str)],
    ids=lambda case: case.name,
)
def test_the_upload_page_refuses_a_hostile_file_keeping_the_saved_values(
    client, setup, case: Case, language
):
    client.force_login(setup["steward"])
    events = AuditEvent.objects.count()
    response = post(client, setup, case, language)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Traceback" not in page
    assert stored(setup) == SAVED_VALUES
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "case",
    [case for case in SAMPLE_CASES if isinstance(case.imported, dict) and not case.sheet],
    ids=lambda case: case.name,
)
def test_the_upload_page_stores_an_accepted_file_exactly(client, fresh, case: Case):
    client.force_login(fresh["steward"])
    response = post(client, fresh, case, "en")
    assert response.status_code == 302
    assert stored(fresh) == case.imported
