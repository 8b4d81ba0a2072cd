"""Blank templates: what partners download, fill in, and upload back."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from collectif.core.files import read_table
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.files.rows import rows_to_cells
from collectif.measurement.files.templates import write_template
from collectif.measurement.models import Indicator
from collectif.measurement.tests.test_validation import mentoring_dataset

# Each indicator's total, then one row per member of each of its dimensions:
# served (total + 3 age groups + 4 genders), mentors (total), caring adult share (total).
EXPECTED_ROWS = 1 + 3 + 4 + 1 + 1


def template_bytes(dataset, *, language: str, fmt: str) -> bytes:
    out = io.BytesIO()
    write_template(dataset, language=language, fmt=fmt, out=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.smoke
def test_the_french_csv_template_opens_in_french_excel():
    content = template_bytes(mentoring_dataset(), language="fr", fmt="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Code de l’indicateur",
        "Nom de l’indicateur",
        "Groupe d’âge",
        "Genre",
        "Unité",
        "Valeur",
    ]
    assert len(rows) == 1 + EXPECTED_ROWS
    assert rows[1][:4] == ["young_people_served", "Jeunes servis", "", ""]
    assert rows[3][:4] == ["young_people_served", "Jeunes servis", "12 à 17 ans", ""]
    assert rows[5][3] == "Filles et femmes+"
    assert all(row[-1] == "" for row in rows[1:])


@pytest.mark.django_db
def test_the_english_csv_template_uses_commas_and_english_names():
    content = template_bytes(mentoring_dataset(), language="en", fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Indicator code", "Indicator name", "Age group", "Gender", "Unit", "Value"]
    assert rows[3] == [
        "young_people_served",
        "Young people served",
        "12 to 17 years",
        "",
        "Count",
        "",
    ]
    assert rows[-1][4] == "Percent"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_template_reads_back_as_the_cells_it_asks_for(language, fmt):
    dataset = mentoring_dataset()
    content = template_bytes(dataset, language=language, fmt=fmt)
    if fmt == "csv":
        delimiter = ";" if language == "fr" else ","
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))
        for number, row in enumerate(rows[1:], start=1):
            row[-1] = str(number)
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows(rows)
        filled = out.getvalue().encode("utf-8-sig")
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        for number in range(2, sheet.max_row + 1):
            sheet.cell(row=number, column=sheet.max_column, value=number - 1)
        out_bytes = io.BytesIO()
        book.save(out_bytes)
        filled = out_bytes.getvalue()
    table = read_table(io.BytesIO(filled), filename=f"filled.{fmt}")
    cells, problems = rows_to_cells(table, dataset)
    assert problems == []
    assert len(cells) == EXPECTED_ROWS
    assert cells[0].indicator_code == "young_people_served"
    assert cells[0].breakdown == ""
    assert cells[2].breakdown == "age:12-17"
    assert cells[2].value == Decimal(3)


@pytest.mark.django_db
def test_the_xlsx_template_has_a_styled_frozen_header_and_instructions():
    book = openpyxl.load_workbook(
        io.BytesIO(template_bytes(mentoring_dataset(), language="fr", fmt="xlsx"))
    )
    assert book.sheetnames == ["Données", "Instructions"]
    data = book["Données"]
    assert data.freeze_panes == "A2"
    assert data["A1"].value == "Code de l’indicateur"
    assert data["A1"].font.bold
    assert data.column_dimensions["B"].width > 12
    instructions = [row[0] for row in book["Instructions"].iter_rows(values_only=True) if row]
    assert instructions[0] == "Comment remplir ce modèle"
    assert any("Valeur" in str(line or "") for line in instructions)


@pytest.mark.django_db
def test_a_name_that_looks_like_a_formula_is_written_as_text():
    dataset = mentoring_dataset()
    Indicator.objects.filter(code="active_mentors").update(name_en="=HYPERLINK(1)")
    content = template_bytes(dataset, language="en", fmt="csv").decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


@pytest.mark.django_db
def test_only_staff_and_the_dataset_stewards_download_templates(client):
    organisation = OrganisationFactory.create()
    dataset = mentoring_dataset(organisations=[organisation])
    url = reverse("measurement:template_download", args=[dataset.code, "xlsx"]) + "?lang=fr"
    assert_role_access(client, url, allowed={"staff", "steward"}, organisation=organisation)


@pytest.mark.django_db
def test_a_steward_of_another_organisation_cannot_download(client):
    dataset = mentoring_dataset(organisations=[OrganisationFactory.create()])
    client.force_login(user_with_role("steward", OrganisationFactory.create()))
    url = reverse("measurement:template_download", args=[dataset.code, "csv"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_download_is_an_attachment_in_the_chosen_language(client):
    organisation = OrganisationFactory.create()
    dataset = mentoring_dataset(organisations=[organisation])
    client.force_login(user_with_role("steward", organisation))
    url = reverse("measurement:template_download", args=[dataset.code, "csv"])
    response = client.get(url + "?lang=fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{dataset.code}-fr.csv"'
    assert response.content.decode("utf-8-sig").startswith("Code de l’indicateur;")
    pdf = reverse("measurement:template_download", args=[dataset.code, "pdf"])
    assert client.get(pdf).status_code == 404
