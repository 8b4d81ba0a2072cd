"""The gap matrix pages as backbone staff use them, and who else is kept out."""

import csv
import io
from datetime import date

import pytest
from django.test import Client

from collectif.accounts.models import User
from collectif.core.models import AuditEvent, Province
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Engagement, GapTarget, Organisation, Sector, Stage
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

MATRIX = "/en/ecosystem/gaps/"


@pytest.fixture
def staff(client: Client) -> User:
    """Backbone staff, acting for an archived backbone organisation that counts nowhere."""
    backbone = OrganisationFactory.create(slug="backbone")
    Organisation.objects.filter(pk=backbone.pk).update(archived_at="2026-01-01T00:00Z")
    user = user_with_role("staff", backbone)
    assert user is not None
    client.force_login(user)
    return user


def _program(
    slug: str, stage: str | None, *, province: str = "ON", **extra: object
) -> Organisation:
    organisation = OrganisationFactory.create(
        slug=slug, head_office_province=Province.objects.get(code=province), **extra
    )
    if stage is not None:
        Engagement.objects.create(
            organisation=organisation, stage=stage, stage_since=date(2026, 1, 5)
        )
    return organisation


@pytest.mark.django_db
def test_staff_see_which_cells_are_met_weak_or_empty(client: Client, staff: User) -> None:
    _program("committed-on", Stage.COMMITTED, name_en="Ontario Mentors")
    _program("engaged-qc", Stage.ENGAGED, province="QC")
    response = client.get(MATRIX)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<abbr title="Ontario">ON</abbr>' in page
    assert 'class="num gap-cell gap-met"' in page
    assert 'class="num gap-cell gap-weak"' in page
    assert "2 cells met" not in page and "1 cells met, 1 weak, 102 empty." in page
    assert "1 earlier" in page  # the engaged one in Quebec, short of committed
    assert "/en/ecosystem/gaps/cells/province/non-profit/QC/" in page
    assert "at least 1 organisation at “Committed partner” or beyond" in page

    french = client.get("/fr/ecosystem/gaps/").content.decode()
    assert "Lacunes de l’écosystème" in french
    assert "Atteinte" in french and "Faible" in french and "Vide" in french


@pytest.mark.django_db
def test_the_population_tab_and_the_filters_change_what_is_counted(
    client: Client, staff: User
) -> None:
    from collectif.ecosystem.models import EquityIdentity, PopulationGroup

    led = _program("led", Stage.COMMITTED)
    led.populations_served.set(PopulationGroup.objects.filter(code="indigenous"))
    led.equity_identities.set(EquityIdentity.objects.filter(code="indigenous-led"))
    other = _program("other", Stage.APPROACHED)
    other.populations_served.set(PopulationGroup.objects.filter(code="indigenous"))

    page = client.get(MATRIX + "?axis=population").content.decode()
    assert "Organisations by sector and population group served" in page
    assert 'aria-current="page">Population groups served' in page
    assert "1 earlier" in page

    filtered = client.get(MATRIX + "?axis=population&equity=indigenous-led").content.decode()
    assert "1 earlier" not in filtered and "1 cells met" in filtered
    assert "?equity=indigenous-led" in filtered  # the cells' links keep the filter
    staged = client.get(MATRIX + "?stage=approached").content.decode()
    assert "0 cells met, 1 weak" in staged
    junk = client.get(MATRIX + "?axis=<script>&equity=nope&stage=;drop")
    assert junk.status_code == 200 and b"<script>" not in junk.content


@pytest.mark.django_db
def test_a_cell_lists_its_organisations_with_their_stage(client: Client, staff: User) -> None:
    _program("ontario-mentors", Stage.COMMITTED, name_en="Ontario Mentors")
    _program("new-in-ontario", None, name_en="New in Ontario")  # no pipeline row yet
    _program("in-quebec", Stage.COMMITTED, province="QC", name_en="Quebec Mentors")
    response = client.get("/en/ecosystem/gaps/cells/province/non-profit/ON/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Non-profit in Ontario" in page
    assert "Ontario Mentors" in page and "New in Ontario" in page
    assert "Quebec Mentors" not in page
    assert "Identified" in page and "Committed partner" in page
    assert "2 organisations" in page
    assert client.get("/en/ecosystem/gaps/cells/province/non-profit/XX/").status_code == 404
    assert client.get("/en/ecosystem/gaps/cells/nowhere/non-profit/ON/").status_code == 404


@pytest.mark.django_db
def test_the_csv_has_a_row_per_sector_and_column_with_counts_target_and_status(
    client: Client, staff: User
) -> None:
    _program("committed-on", Stage.COMMITTED)
    _program("declined-on", Stage.DECLINED)
    OrganisationFactory.create(
        slug="formula", sector=Sector.objects.get(code="funder"), name_en="=HYPERLINK(1)"
    )
    Sector.objects.filter(code="funder").update(name_en="=Funder")
    response = client.get("/en/ecosystem/gaps/export/?axis=province")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Sector", "Province or territory", "Identified"]
    assert header[-3:] == ["Target", "At or beyond the target stage", "Status"]
    assert len(body) == Sector.objects.filter(is_active=True).count() * 13
    ontario = next(r for r in body if r[0] == "Non-profit" and r[1] == "Ontario")
    record = dict(zip(header, ontario, strict=True))
    assert record["Committed partner"] == "1" and record["Declined"] == "1"
    assert record["Total"] == "2" and record["Status"] == "Met"
    assert record["At or beyond the target stage"] == "1"
    assert any(r[0] == "'=Funder" for r in body)  # a formula never runs in a spreadsheet

    french = client.get("/fr/ecosystem/gaps/export/?axis=population").content.decode("utf-8-sig")
    first = french.splitlines()[0].split(";")
    assert first[:2] == ["Secteur", "Groupe de population"]


@pytest.mark.django_db
def test_the_equity_summary_shows_each_identity(client: Client, staff: User) -> None:
    from collectif.ecosystem.models import EquityIdentity

    led = _program("led", Stage.COMMITTED)
    led.equity_identities.set(EquityIdentity.objects.filter(code="black-led"))
    _program("other", None)
    page = client.get("/en/ecosystem/gaps/equity/").content.decode()
    assert "Black-led" in page and "50.0%" in page
    assert "Every active organisation" in page
    french = client.get("/fr/ecosystem/gaps/equity/").content.decode()
    assert "50,0\u00a0%" in french


@pytest.mark.django_db
def test_staff_add_change_and_delete_a_target_and_each_is_audited(
    client: Client, staff: User
) -> None:
    funder = Sector.objects.get(code="funder")
    response = client.post(
        "/en/ecosystem/gaps/targets/new/",
        {
            "axis": "province",
            "sector": funder.pk,
            "province": "NU",
            "minimum_count": "2",
            "minimum_stage": "engaged",
        },
    )
    assert response.status_code == 302
    target = GapTarget.objects.get()
    assert (target.sector, target.province_id, target.minimum_count) == (funder, "NU", 2)
    listing = client.get("/en/ecosystem/gaps/targets/").content.decode()
    assert "Funder" in listing and "Nunavut" in listing
    assert "at least 2 organisations at “Engaged” or beyond" in listing
    matrix = client.get(MATRIX).content.decode()
    assert "Funder, Nunavut" in matrix  # the legend names it

    response = client.post(
        f"/en/ecosystem/gaps/targets/{target.pk}/edit/",
        {
            "axis": "province",
            "sector": funder.pk,
            "province": "NU",
            "minimum_count": "3",
            "minimum_stage": "committed",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.minimum_count, target.minimum_stage) == (3, "committed")

    assert client.get(f"/en/ecosystem/gaps/targets/{target.pk}/delete/").status_code == 200
    assert GapTarget.objects.exists()  # a GET only asks
    assert client.post(f"/en/ecosystem/gaps/targets/{target.pk}/delete/").status_code == 302
    assert not GapTarget.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="ecosystem.gap_target").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "ecosystem.gap_target_create",
        "ecosystem.gap_target_delete",
        "ecosystem.gap_target_update",
    ]


@pytest.mark.django_db
def test_a_wrong_target_is_refused_beside_its_field_and_nothing_is_written(
    client: Client, staff: User
) -> None:
    GapTarget.objects.create(axis="province", minimum_stage="committed", minimum_count=1)
    duplicate = client.post(
        "/en/ecosystem/gaps/targets/new/",
        {"axis": "province", "minimum_count": "2", "minimum_stage": "engaged"},
    )
    assert duplicate.status_code == 422
    assert "A target already covers these cells" in duplicate.content.decode()
    crossed = client.post(
        "/fr/ecosystem/gaps/targets/new/",
        {"axis": "population", "province": "ON", "minimum_count": "0", "minimum_stage": "declined"},
    )
    assert crossed.status_code == 422
    page = crossed.content.decode()
    assert "Il y a un problème" in page
    assert GapTarget.objects.count() == 1


@pytest.mark.django_db
def test_only_backbone_staff_see_the_gap_pages(client: Client) -> None:
    target = GapTarget.objects.create(axis="province", minimum_stage="committed", minimum_count=1)
    for url in (
        MATRIX,
        "/en/ecosystem/gaps/export/",
        "/en/ecosystem/gaps/equity/",
        "/en/ecosystem/gaps/targets/",
        "/en/ecosystem/gaps/targets/new/",
        f"/en/ecosystem/gaps/targets/{target.pk}/edit/",
        "/en/ecosystem/gaps/cells/province/non-profit/ON/",
    ):
        assert_role_access(client, url, allowed={"staff"})


@pytest.mark.django_db
def test_the_matrix_and_a_cell_cost_the_same_queries_for_3_and_30_organisations(
    client: Client, staff: User
) -> None:
    provinces = list(Province.objects.all())

    counter = iter(range(1000))

    def add_unique(count: int) -> None:
        for _ in range(count):
            n = next(counter)
            organisation = _program(f"org-{n}", Stage.ENGAGED if n % 2 else None)
            organisation.provinces_served.set(provinces[: 1 + n % 5])

    same_queries_for_3_and_30(client, MATRIX, add_unique)
    same_queries_for_3_and_30(client, MATRIX + "?axis=population", add_unique)
    same_queries_for_3_and_30(
        client, "/en/ecosystem/gaps/cells/province/non-profit/NL/", add_unique
    )
    same_queries_for_3_and_30(client, "/en/ecosystem/gaps/equity/", add_unique)
