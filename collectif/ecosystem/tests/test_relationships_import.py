"""Kumu-style files of ties: matching, the report, hostile files, and the command line."""

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from collectif.core.files import FileProblem
from collectif.core.models import Province
from collectif.ecosystem.files.relationship_names import match_key
from collectif.ecosystem.files.relationships import RelationshipPlan, read_relationships
from collectif.ecosystem.models import Organisation, Relationship
from collectif.ecosystem.services.relationships import relationship_import
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory


def _plan(text: str, *, encoding: str = "utf-8", name: str = "ties.csv") -> RelationshipPlan:
    return read_relationships(io.BytesIO(text.encode(encoding)), filename=name)


def _problem(text: str, **kwargs: str) -> FileProblem:
    with pytest.raises(FileProblem) as refused:
        _plan(text, **kwargs)
    return refused.value


@pytest.fixture
def world(db: None) -> dict[str, Organisation]:
    return {
        "fondation": OrganisationFactory.create(
            name_en="Northern Lights Foundation", name_fr="Fondation Aurores boréales"
        ),
        "grands": OrganisationFactory.create(
            name_en="Big Friends of Montreal",
            name_fr="Grands Amis de Montréal",
            head_office_province=Province.objects.get(code="QC"),
        ),
        "mentor": OrganisationFactory.create(name_en="Mentor Halifax", name_fr=""),
    }


def test_names_match_in_either_language_without_case_or_accents(
    world: dict[str, Organisation],
) -> None:
    plan = _plan(
        "De;À;Type;Force;Début\n"
        "FONDATION AURORES BOREALES;grands amis de montreal;finance;3;2024-09-01\n"
        "Big Friends of Montreal;  Mentor Halifax ;partners with;;\n"
    )

    assert plan.is_clean, [str(p.message) for p in plan.problems]
    assert plan.counts()["created"] == 2
    first, second = plan.creates
    assert (first.source_id, first.target_id) == (world["fondation"].pk, world["grands"].pk)
    assert (first.strength, first.started_on) == (3, date(2024, 9, 1))
    assert (second.source_id, second.target_id) == (world["grands"].pk, world["mentor"].pk)


def test_a_shared_name_is_told_apart_by_province_column_or_code_after_the_name(
    world: dict[str, Organisation],
) -> None:
    OrganisationFactory.create(
        name_en="Big Friends of Montreal",
        name_fr="",
        head_office_province=Province.objects.get(code="ON"),
    )
    ambiguous = _plan("From,To,Type\nBig Friends of Montreal,Mentor Halifax,refers\n")
    assert [p.kind for p in ambiguous.problems] == ["unmatched"]
    assert "Several organisations are called" in str(ambiguous.problems[0].message)

    by_column = _plan(
        "From,From province,To,Type\nBig Friends of Montreal,QC,Mentor Halifax,refers\n"
    )
    by_cell = _plan("From,To,Type\nBig Friends of Montreal (QC),Mentor Halifax,refers\n")
    for plan in (by_column, by_cell):
        assert plan.is_clean
        assert plan.creates[0].source_id == world["grands"].pk


def test_the_report_names_each_unusable_row_and_column_and_nothing_is_written(
    world: dict[str, Organisation],
) -> None:
    plan = _plan(
        "From,To,Type,Start,End\n"
        "Northern Lights Foundation,Nowhere Youth Club,funds,,\n"  # unknown organisation
        "Mentor Halifax,mentor halifax,refers,,\n"  # self-loop
        "Mentor Halifax,Northern Lights Foundation,adopts,,\n"  # unknown type
        "Mentor Halifax,Big Friends of Montreal,refers,1 sept 2024,\n"  # bad date
        "Mentor Halifax,Big Friends of Montreal,funds,2024-09-01,2023-01-01\n"  # ends early
        "Northern Lights Foundation,Mentor Halifax,funds,,\n"  # the one good row
    )

    found = [(p.row, p.column, p.kind) for p in plan.problems]
    assert found == [
        (2, "To", "unmatched"),
        (3, "To", "invalid"),
        (4, "Type", "invalid"),
        (5, "Start", "invalid"),
        (6, "End", "invalid"),
    ]
    assert "Nowhere Youth Club" in str(plan.problems[0].message)
    with translation.override("fr"):
        assert "Aucun organisme ne s’appelle" in str(plan.problems[0].message)
        assert "à lui-même" in str(plan.problems[1].message)
    assert len(plan.creates) == 1 and not plan.is_clean
    assert not Relationship.objects.exists()


def test_unknown_and_missing_columns_refuse_the_file_in_both_languages(db: None) -> None:
    unknown = _problem("From,To,Type,Colour\nA,B,funds,red\n")
    assert unknown.code == "unknown_columns" and "“Colour”" in str(unknown)
    missing = _problem("From,Type\nA,funds\n")
    assert missing.code == "missing_columns"
    with translation.override("fr"):
        assert "ne connaît pas ces colonnes" in str(unknown)


def test_empty_binary_and_header_only_files_are_refused(db: None) -> None:
    assert _problem("").code == "empty"
    assert _problem("From,To,Type\n").code == "no_data"
    with pytest.raises(FileProblem):
        read_relationships(io.BytesIO(b"\x00\x01\x02junk\xff" * 100), filename="ties.csv")


def test_a_cp1252_file_with_accents_is_read(world: dict[str, Organisation]) -> None:
    plan = _plan(
        "De;À;Type\nFondation Aurores boréales;Grands Amis de Montréal;finance\n",
        encoding="cp1252",
    )
    assert plan.is_clean and plan.creates[0].target_id == world["grands"].pk


def test_formulas_never_match_and_a_formula_note_is_refused(world: dict[str, Organisation]) -> None:
    plan = _plan(
        'From,To,Type,Note\n"=HYPERLINK(""http://evil.example"",""x"")",Mentor Halifax,funds,\n'
        'Mentor Halifax,Northern Lights Foundation,refers,"=HYPERLINK(""http://evil"")"\n'
    )
    assert [(p.row, p.kind) for p in plan.problems] == [(2, "unmatched"), (3, "invalid")]
    assert not plan.creates


def test_a_huge_cell_is_refused_not_stored(world: dict[str, Organisation]) -> None:
    plan = _plan(
        f"From,To,Type,Note\nMentor Halifax,Northern Lights Foundation,refers,{'x' * 5000}\n"
    )
    assert [p.column for p in plan.invalid] == ["Note"]
    assert len(plan.problems[0].value) <= 200


def test_an_archived_organisation_and_a_repeated_row_are_invalid(
    world: dict[str, Organisation],
) -> None:
    world["mentor"].archived_at = timezone.now()
    world["mentor"].save()
    plan = _plan(
        "From,To,Type\n"
        "Mentor Halifax,Northern Lights Foundation,refers\n"
        "Big Friends of Montreal,Northern Lights Foundation,partners\n"
        "Northern Lights Foundation,Big Friends of Montreal,partners\n"
    )
    assert [(p.row, p.kind) for p in plan.problems] == [(2, "invalid"), (4, "invalid")]


def test_a_tie_already_there_is_updated_or_left_unchanged(world: dict[str, Organisation]) -> None:
    RelationshipFactory.create(source=world["fondation"], target=world["grands"], strength=2)
    RelationshipFactory.create(
        source=world["mentor"],
        target=world["grands"],
        type=Relationship._meta.get_field("type").related_model.objects.get(code="partners"),  # type: ignore[union-attr]
    )
    plan = _plan(
        "From,To,Type,Strength\n"
        "Northern Lights Foundation,Big Friends of Montreal,refers,strong\n"
        "Big Friends of Montreal,Mentor Halifax,partners,\n"
    )
    assert plan.counts() == {
        "rows": 2,
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "unmatched": 0,
        "invalid": 0,
    }
    staff = user_with_role("staff")
    assert staff is not None
    relationship_import(actor=staff, creates=plan.creates, updates=plan.updates, filename="t.csv")
    assert Relationship.objects.get(source=world["fondation"]).strength == 3


def test_an_xlsx_file_with_french_headers_and_real_dates(world: dict[str, Organisation]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["De", "Vers", "Type", "Début", "Fin"])
    sheet.append(["Mentor Halifax", "Fondation Aurores boréales", "refers", date(2023, 1, 5), None])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)

    plan = read_relationships(data, filename="liens.xlsx")

    assert plan.is_clean and plan.creates[0].started_on == date(2023, 1, 5)


def test_ten_thousand_rows_are_checked_and_written_in_one_go(db: None) -> None:
    organisations = OrganisationFactory.create_batch(101)
    names = [o.name_en for o in organisations]  # type: ignore[attr-defined]
    lines = ["From,To,Type"]
    for index in range(10_000):
        lines.append(f"{names[index // 100]},{names[100 - index % 100]},refers")
    plan = _plan("\n".join(lines) + "\n")

    assert plan.rows == 10_000
    self_loops = [p for p in plan.invalid if "itself" in str(p.message)]
    assert plan.counts()["created"] + len(plan.invalid) == 10_000
    assert len(self_loops) == len(plan.invalid)
    staff = user_with_role("staff")
    assert staff is not None
    relationship_import(actor=staff, creates=plan.creates, updates=[], filename="big.csv")
    assert Relationship.objects.count() == len(plan.creates)


# --- Matching names, as a property ---------------------------------------------------

NAMES = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs"), max_codepoint=0xFF),
    min_size=1,
    max_size=40,
).filter(lambda text: match_key(text) != "")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(name=NAMES)
def test_a_name_matches_itself_whatever_its_case_accents_and_spacing(name: str) -> None:
    key = match_key(name)
    assert match_key(name.upper()) == key
    assert match_key(name.lower()) == key
    assert match_key(_strip_accents(name)) == key
    assert match_key(f"  {name}\t") == key
    assert match_key(key) == key


@given(name=NAMES, first=st.sampled_from("abcxyz09"), second=st.sampled_from("defuvw18"))
def test_names_that_differ_by_a_letter_do_not_match(name: str, first: str, second: str) -> None:
    assert match_key(f"{name} {first}") != match_key(f"{name} {second}")


# --- The command line ------------------------------------------------------------------


def test_the_command_writes_nothing_when_a_row_is_wrong_unless_told_to_skip(
    world: dict[str, Organisation], tmp_path: Path
) -> None:
    path = tmp_path / "ties.csv"
    path.write_text(
        "From,To,Type\nMentor Halifax,Northern Lights Foundation,refers\n"
        "Nobody Known,Mentor Halifax,funds\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="Rien n’a été enregistré"):
        call_command("ecosystem", "import-relationships", str(path), "--language", "fr", stdout=out)
    assert "Ligne 3, colonne «\u202fFrom\u202f»" in out.getvalue()
    assert not Relationship.objects.exists()

    out = io.StringIO()
    call_command("ecosystem", "import-relationships", str(path), "--skip-unmatched", stdout=out)
    assert "1 relationships created" in out.getvalue() or "Done: 1" in out.getvalue()
    assert Relationship.objects.count() == 1


def test_the_command_says_why_a_file_cannot_be_read(db: None, tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("ecosystem", "import-relationships", str(path))
