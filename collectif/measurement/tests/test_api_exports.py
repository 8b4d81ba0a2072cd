"""Exports over the API: started as a job, followed, then downloaded by its owner or staff."""

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from collectif.core.models import AuditEvent, Job
from collectif.ecosystem.testing import bearer_secret, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from collectif.measurement.tests.results_data import approve

URL = "/api/v1/measurement/exports"


@pytest.fixture
def data(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    served = IndicatorFactory.create(code="served", name_en="Youth served", name_fr="Jeunes")
    dataset = DatasetFactory.create(indicators=[served])
    period = PeriodFactory.create(code="2024Q1")
    organisation = OrganisationFactory.create(slug="big-sisters", name_en="=Big Sisters")
    approve(organisation, dataset, period, {(served, ""): Decimal("1234.5")})


def _auth(role: str) -> dict[str, str]:
    user = user_with_role(role)
    assert user is not None
    return {"Authorization": f"Bearer {bearer_secret(user)}"}


def _start(client: Client, capture: Any, headers: dict[str, str], **body: Any) -> Any:
    with capture(execute=True):
        response = client.post(URL, body, content_type="application/json", headers=headers)
    return response


@pytest.mark.django_db
def test_staff_start_a_csv_export_follow_it_and_download_the_file(
    client: Client, data: None, django_capture_on_commit_callbacks: Any
) -> None:
    staff = _auth("staff")
    started = _start(client, django_capture_on_commit_callbacks, staff, format="csv")

    assert started.status_code == 202
    body = started.json()
    assert body["format"] == "csv" and body["language"] == "en"
    assert body["status_url"].endswith(f"{URL}/{body['id']}")
    status = client.get(body["status_url"], headers=staff).json()
    assert status["state"] == "succeeded"
    assert status["progress"] == {"done": 1, "total": 1} and status["rows"] == 1
    assert status["download_url"].endswith(f"{URL}/{body['id']}/file")
    download = client.get(status["download_url"], headers=staff)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Organisation (short name)"
    assert rows[1][:2] == ["big-sisters", "'=Big Sisters"]
    assert rows[1][-1] == "1234.5"
    assert AuditEvent.objects.filter(action=MeasurementAction.VALUES_EXPORT_START).count() == 1


@pytest.mark.django_db
def test_a_french_xlsx_export_keeps_numbers_as_numbers(
    client: Client, data: None, django_capture_on_commit_callbacks: Any
) -> None:
    staff = _auth("staff")
    body = _start(
        client, django_capture_on_commit_callbacks, staff, format="xlsx", language="fr"
    ).json()
    download = client.get(f"{URL}/{body['id']}/file", headers=staff)

    assert download["Content-Type"].endswith("spreadsheetml.sheet")
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Organisme (nom court)"
    assert rows[1][-1] == 1234.5


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "steward", "governance"])
def test_only_staff_start_an_export(client: Client, data: None, role: str) -> None:
    response = client.post(
        URL, {"format": "csv"}, content_type="application/json", headers=_auth(role)
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_someone_else_who_knows_the_address_finds_nothing(
    client: Client, data: None, django_capture_on_commit_callbacks: Any
) -> None:
    body = _start(client, django_capture_on_commit_callbacks, _auth("staff"), format="csv").json()
    researcher = _auth("researcher")

    assert client.get(f"{URL}/{body['id']}", headers=researcher).status_code == 404
    assert client.get(f"{URL}/{body['id']}/file", headers=researcher).status_code == 404
    other_staff = _auth("staff")
    assert client.get(f"{URL}/{body['id']}/file", headers=other_staff).status_code == 200


@pytest.mark.django_db
def test_no_download_before_the_file_is_written(client: Client, data: None) -> None:
    staff = _auth("staff")
    response = client.post(URL, {"format": "xlsx"}, content_type="application/json", headers=staff)
    body = response.json()  # the job stays queued: its task runs only on commit

    assert body["state"] == "queued" and body["download_url"] is None
    assert client.get(f"{URL}/{body['id']}/file", headers=staff).status_code == 404


@pytest.mark.django_db
def test_an_unknown_format_is_refused_with_the_field_named(client: Client, data: None) -> None:
    response = client.post(
        URL, {"format": "pdf"}, content_type="application/json", headers=_auth("staff")
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "format"
    assert not Job.objects.exists()
