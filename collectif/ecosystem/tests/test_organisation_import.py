"""`collectif ecosystem import-organisations FILE` and its staff page, hostile files included."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from collectif.core.models import AuditEvent
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.files.organisations import COLUMN_ALIASES, read_columns
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

ENGLISH = (
    "name_en,name_fr,sector,province,provinces served,website,populations,equity,public\n"
    "Mentor Nova,Mentor Nouvelle-Écosse,non-profit,NS,NS;PE,https://nova.example.org,"
    "Indigenous youth;rural,Indigenous-led,yes\n"
    "Youth Fund,Fonds jeunesse,Funder,Ontario,,,,,no\n"
)


def _run(tmp_path: Path, content: bytes, name: str = "orgs.csv", *args: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    call_command("ecosystem", "import-organisations", str(path), *args, stdout=out)
    return out.getvalue()


def _refused(tmp_path: Path, content: bytes, *args: str, name: str = "orgs.csv") -> str:
    before = Organisation.objects.count()
    out = io.StringIO()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command("ecosystem", "import-organisations", str(path), *args, stdout=out)
    assert Organisation.objects.count() == before
    return out.getvalue() + str(caught.value)


@pytest.mark.django_db
def test_a_file_creates_organisations_with_their_reach(tmp_path: Path) -> None:
    out = _run(tmp_path, ENGLISH.encode())
    assert "Rows read: 2. To create: 2; to update: 0; unchanged: 0; invalid: 0." in out
    assert "Done. Organisations created: 2; updated: 0." in out
    nova = Organisation.objects.get(name_en="Mentor Nova")
    assert nova.head_office_province_id == "NS" and nova.sector.code == "non-profit"
    assert sorted(p.code for p in nova.provinces_served.all()) == ["NS", "PE"]
    assert sorted(g.code for g in nova.populations_served.all()) == ["indigenous", "rural"]
    assert [e.code for e in nova.equity_identities.all()] == ["indigenous-led"]
    assert Organisation.objects.get(name_en="Youth Fund").is_public is False
    assert nova.engagement.stage == "identified"
    assert AuditEvent.objects.filter(action=EcosystemAction.ORGANISATION_IMPORT).count() == 1


@pytest.mark.django_db
def test_same_name_and_province_updates_and_empty_cells_keep_values(tmp_path: Path) -> None:
    existing = OrganisationFactory.create(
        name_en="Mentor Nova",
        name_fr="",
        head_office_province_id="NS",
        website="https://kept.example.org",
    )
    OrganisationFactory.create(name_en="Mentor Nova", head_office_province_id="QC")
    content = "Nom (anglais);Nom (français);Secteur;Province;Équité\n"
    content += "mentor nova;Mentor Nouvelle-Écosse;Organisme à but non lucratif;"
    content += "Nouvelle-Écosse;Dirigé par des jeunes\n"
    out = _run(tmp_path, content.encode(), "orgs.csv", "--language", "fr")
    assert "À créer\u00a0: 0\u202f; à mettre à jour\u00a0: 1\u202f;" in out
    existing.refresh_from_db()
    assert existing.name_fr == "Mentor Nouvelle-Écosse"  # type: ignore[attr-defined]
    assert existing.website == "https://kept.example.org"
    assert [e.code for e in existing.equity_identities.all()] == ["youth-led"]
    assert Organisation.objects.filter(name_en__iexact="Mentor Nova").count() == 2
    again = _run(tmp_path, content.encode(), "orgs.csv")
    assert "to update: 0; unchanged: 1;" in again


@pytest.mark.django_db
def test_cp1252_accents_from_french_excel_are_read(tmp_path: Path) -> None:
    content = "Nom (français);Secteur;Province\nCentre d'entraide Québécois;Éducation;QC\n"
    _run(tmp_path, content.encode("cp1252"))
    assert Organisation.objects.get(name_fr="Centre d'entraide Québécois").sector.code == (
        "education"
    )


@pytest.mark.django_db
def test_an_xlsx_workbook_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name_en", "sector", "province"])
    sheet.append(["Workbook Mentors", "business", "BC"])
    data = io.BytesIO()
    workbook.save(data)
    _run(tmp_path, data.getvalue(), "orgs.xlsx")
    assert Organisation.objects.get(name_en="Workbook Mentors").head_office_province_id == "BC"


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_each_problem_names_row_and_column(
    tmp_path: Path,
) -> None:
    content = (
        "name_en,sector,province,populations,website,public\n"
        "Good One,non-profit,ON,,,\n"
        "Bad Sector,astrology,ON,,,\n"
        "Bad Lists,non-profit,Atlantis,pirates;rural,,maybe\n"
        ',non-profit,ON,,"=HYPERLINK(""http://evil.example"")",\n'
    )
    out = _refused(tmp_path, content.encode())
    assert "Rows read: 4. To create: 1; to update: 0; unchanged: 0; invalid: 3." in out
    assert "Row 3, column “sector”: “astrology” is not a known sector." in out
    assert "Row 4, column “province”" in out
    assert "Row 4, column “populations”: “pirates”: not known population groups" in out
    assert "Row 4, column “public”: Write yes or no (oui or non)." in out
    assert "Row 5, column “website”: This looks like a spreadsheet formula." in out
    assert "Row 5: Give the organisation's name" in out
    assert "Nothing was written." in out


@pytest.mark.django_db
def test_the_report_is_in_french_when_asked(tmp_path: Path) -> None:
    out = _refused(tmp_path, b"nom,secteur,province\nX,astrologie,ON\n", "--language", "fr")
    assert "Ligne 2, colonne «\u202fsecteur\u202f»" in out
    assert "Rien n’a été enregistré." in out


@pytest.mark.django_db
def test_unknown_and_missing_columns_refuse_the_file(tmp_path: Path) -> None:
    out = _refused(tmp_path, b"name_en,colour,province\nX,blue,ON\n")
    assert "These columns are not known: “colour”." in out
    assert "The file needs a “sector” column." in out


@pytest.mark.django_db
def test_the_same_organisation_twice_in_the_file_is_refused(tmp_path: Path) -> None:
    content = "name_en,sector,province\nTwin,non-profit,ON\nTWIN,business,ON\nTwin,business,QC\n"
    out = _refused(tmp_path, content.encode())
    assert "Row 3: This is the same organisation as row 2. Keep one of the rows." in out


@pytest.mark.django_db
def test_a_too_long_name_is_refused_beside_its_column(tmp_path: Path) -> None:
    content = f"name_en,sector,province\n{'M' * 5000},non-profit,ON\n"
    out = _refused(tmp_path, content.encode())
    assert "Row 2, column “name_en”: Ensure this value has at most 200 characters" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"name_en,sector,province\n", "no data rows"),
        (b"\x00\x01\x02binary\xff\xfe junk" * 50, "encoding Collectif cannot read"),
    ],
)
def test_empty_or_broken_files_are_refused_with_a_reason(
    tmp_path: Path, content: bytes, message: str
) -> None:
    assert message in _refused(tmp_path, content)


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = _run(tmp_path, ENGLISH.encode(), "orgs.csv", "--dry-run")
    assert "Dry run: nothing was written." in out
    assert not Organisation.objects.exists()


@given(st.sampled_from(sorted({a for aliases in COLUMN_ALIASES.values() for a in aliases})))
@settings(max_examples=40)
def test_every_header_spelling_is_understood_whatever_its_case(alias: str) -> None:
    columns = read_columns([alias.upper(), f"  {alias.title()} "])
    assert not columns.unknown
    assert len(columns.roles) == 1 and columns.repeated


@pytest.mark.django_db
def test_staff_preview_then_confirm_on_the_page(client: Client) -> None:
    assert client.get("/en/ecosystem/organisations/import/").status_code == 302
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    page = client.get("/en/ecosystem/organisations/import/")
    assert page.status_code == 200 and "Check the file" in page.content.decode()
    upload = SimpleUploadedFile("orgs.csv", ENGLISH.encode(), content_type="text/csv")
    preview = client.post(
        "/en/ecosystem/organisations/import/", {"action": "preview", "file": upload}
    )
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "To create: 2;" in text and "Mentor Nova" in text
    assert not Organisation.objects.filter(name_en="Mentor Nova").exists()
    token = preview.context["token"]
    done = client.post("/en/ecosystem/organisations/import/", {"action": "confirm", "token": token})
    assert done.status_code == 302
    assert Organisation.objects.filter(name_en__in=["Mentor Nova", "Youth Fund"]).count() == 2
    before = Organisation.objects.count()
    again = client.post(
        "/en/ecosystem/organisations/import/", {"action": "confirm", "token": token}
    )
    assert again.status_code == 302 and Organisation.objects.count() == before


@pytest.mark.django_db
def test_a_refused_file_on_the_page_lists_its_rows(client: Client) -> None:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    upload = SimpleUploadedFile("orgs.csv", b"name_en,sector,province\nX,astrology,ON\n")
    response = client.post(
        "/en/ecosystem/organisations/import/", {"action": "preview", "file": upload}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "There is a problem" in text and "Row 2, column “sector”" in text
    assert "Import these organisations" not in text


@pytest.mark.django_db
def test_every_reference_row_is_found_by_code_and_by_each_name() -> None:
    from collectif.ecosystem.services.organisation_imports import _references

    refs = _references()
    for lookup in (refs.sectors, refs.provinces, refs.populations, refs.equity):
        rows = {row.pk: row for row in lookup.by_key.values()}.values()
        for row in rows:
            for key in (row.code, row.name_en, row.name_fr, row.name_fr.upper()):
                assert lookup.find(f" {key} ") == row, key


@given(st.lists(st.sampled_from(["yes", "OUI", "x", "1", "non", "No", "0", "faux"]), min_size=1))
def test_yes_and_no_are_read_in_either_language(words: list[str]) -> None:
    from collectif.ecosystem.files.organisations import _flag

    for word in words:
        value, problem = _flag(word)
        assert not problem
        assert value is (word.lower() in {"yes", "oui", "x", "1"})
