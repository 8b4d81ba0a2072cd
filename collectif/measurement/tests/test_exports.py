import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from collectif.accounts.tests.factories import UserFactory
from collectif.core.formatting import csv_number
from collectif.core.models import AuditEvent, Job
from collectif.core.spreadsheets import neutralise
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.audit import MeasurementAction
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


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _start(client: Client, capture: Any, url: str) -> Job:
    with capture(execute=True):
        response = client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{url.split('/')[1]}/jobs/{job.pk}/"
    return job


@pytest.mark.django_db
def test_a_staff_csv_export_runs_as_a_job_and_only_its_owner_or_staff_download_it(
    client: Client, data: None, media: None, django_capture_on_commit_callbacks: Any
) -> None:
    owner = user_with_role("staff")
    assert owner is not None
    client.force_login(owner)
    job = _start(client, django_capture_on_commit_callbacks, reverse("measurement:export_csv"))

    assert job.status == Job.Status.SUCCEEDED
    assert job.progress_total == 2 and job.result["rows"] == 2
    assert AuditEvent.objects.filter(action=MeasurementAction.VALUES_EXPORT_START).count() == 1
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("core:job_download", args=[job.pk]) in page
    download = client.get(reverse("core:job_download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Organisation (short name)"
    assert sorted(row[-1] for row in rows[1:]) == ["-12.5", "-2"]

    client.force_login(user_with_role("researcher"))  # type: ignore[arg-type]
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    client.force_login(UserFactory.create(is_superuser=True))
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_a_french_xlsx_export_job_writes_every_approved_value(
    client: Client, data: None, media: None, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(user_with_role("staff"))  # type: ignore[arg-type]
    job = _start(
        client,
        django_capture_on_commit_callbacks,
        reverse("measurement:export_xlsx").replace("/en/", "/fr/"),
    )

    assert job.status == Job.Status.SUCCEEDED
    assert job.result_file.name.endswith(".xlsx")
    with job.result_file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Organisme (nom court)"
    assert sorted(float(str(row[-1])) for row in rows[1:]) == [-12.5, -2]


@pytest.mark.django_db
def test_an_export_is_started_only_by_a_post(client: Client, data: None) -> None:
    client.force_login(user_with_role("staff"))  # type: ignore[arg-type]
    assert client.get(reverse("measurement:export_csv")).status_code == 405
    assert not Job.objects.exists()
