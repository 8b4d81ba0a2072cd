"""The relationship pages as the public and staff use them: who sees which ties, the forms,
the types, the organisation page's panel and the import from upload to confirmation."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from collectif.accounts.models import User
from collectif.core.models import AuditEvent
from collectif.core.testing import queries_for, same_queries_for_3_and_30
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory

LIST = "/{language}/ecosystem/relationships/"


def _staff(client: Client) -> User:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return staff


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_the_public_sees_only_ties_between_public_active_organisations(client: Client) -> None:
    shown = RelationshipFactory.create(
        source__name_en="Open Door Mentoring", target__name_en="Youth Bridge"
    )
    RelationshipFactory.create(source__name_en="Quiet Fund", source__is_public=False)
    RelationshipFactory.create(target__name_en="Closed Club", target__archived_at=timezone.now())

    public = _get(client, LIST.format(language="en"))
    assert "Open Door Mentoring" in public and "Youth Bridge" in public
    assert "Quiet Fund" not in public and "Closed Club" not in public
    assert "1 relationship" in public
    assert "Record a relationship" not in public

    _staff(client)
    staff = _get(client, LIST.format(language="en"))
    assert "Quiet Fund" in staff and "Closed Club" in staff and "3 relationships" in staff
    assert f"/ecosystem/relationships/{shown.pk}/edit/" in staff


@pytest.mark.django_db
def test_the_list_filters_by_type_province_sector_and_organisation(client: Client) -> None:
    funder = OrganisationFactory.create(name_en="Prairie Fund")
    RelationshipFactory.create(
        source=funder, type=RelationshipType.objects.get(code="funds"), target__name_en="Alpha"
    )
    RelationshipFactory.create(source__name_en="Beta", target__name_en="Gamma")
    quebec = RelationshipFactory.create(
        source__name_en="Delta", source__head_office_province_id="QC", target__name_en="Epsilon"
    )

    by_type = _get(client, LIST.format(language="en") + "?type=funds")
    assert "Alpha" in by_type and "Gamma" not in by_type
    by_province = _get(client, LIST.format(language="en") + "?province=qc")
    assert "Epsilon" in by_province and "Alpha" not in by_province
    by_organisation = _get(client, LIST.format(language="en") + f"?organisation={funder.slug}")
    assert "Alpha" in by_organisation and "Delta" not in by_organisation
    assert "Showing the relationships of Prairie Fund." in by_organisation
    assert quebec.source.head_office_province_id == "QC"
    empty = _get(client, LIST.format(language="fr") + "?sector=government")
    assert "Aucune relation ne correspond à ces filtres." in empty


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_3_and_30_ties(client: Client) -> None:
    _staff(client)
    same_queries_for_3_and_30(
        client,
        LIST.format(language="en"),
        lambda count: RelationshipFactory.create_batch(count),
    )


@pytest.mark.django_db
def test_the_organisation_page_lists_ties_out_and_in_at_a_fixed_cost(client: Client) -> None:
    hub = OrganisationFactory.create(name_en="Hub Mentoring")
    RelationshipFactory.create(source=hub, target__name_en="Referred Club")
    RelationshipFactory.create(
        source__name_en="Kind Funder",
        target=hub,
        type=RelationshipType.objects.get(code="funds"),
    )
    url = f"/en/ecosystem/organisations/{hub.slug}/"
    page = _get(client, url)
    assert "Referred Club" in page and "Kind Funder" in page
    assert "refers young people to" in page and "funds" in page
    assert "Add a relationship" not in page

    staff = _staff(client)
    assert staff is not None
    page = _get(client, url)
    assert f"/ecosystem/relationships/new/?from={hub.slug}" in page
    before = queries_for(client, url)
    RelationshipFactory.create_batch(10, source=hub)
    RelationshipFactory.create_batch(10, target=hub)
    assert queries_for(client, url) == before


@pytest.mark.django_db
def test_staff_record_a_tie_from_the_form_and_errors_come_back_on_it(client: Client) -> None:
    source, target = OrganisationFactory.create_batch(2)
    _staff(client)
    form = {"source": source.pk, "type": RelationshipType.objects.get(code="refers").pk}

    refused = client.post(
        "/en/ecosystem/relationships/new/",
        {
            **form,
            "target": source.pk,
            "strength": 2,
            "started_on": "2025-01-01",
            "ended_on": "2024-01-01",
        },
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "There is a problem" in body
    assert "An organisation cannot have a relationship with itself." in body
    assert "The end date is before the start date." in body
    assert not Relationship.objects.exists()

    done = client.post(
        "/en/ecosystem/relationships/new/", {**form, "target": target.pk, "strength": 3}
    )
    assert done.status_code == 302 and done["Location"] == source.get_absolute_url()
    tie = Relationship.objects.get()
    assert (tie.target, tie.strength) == (target, 3)


@pytest.mark.django_db
def test_staff_edit_and_delete_a_tie_after_confirming(client: Client) -> None:
    tie = RelationshipFactory.create(strength=1)
    _staff(client)
    edit = f"/en/ecosystem/relationships/{tie.pk}/edit/"
    assert "Edit a relationship" in _get(client, edit)
    client.post(
        edit,
        {"source": tie.source_id, "target": tie.target_id, "type": tie.type_id, "strength": 3},
    )
    tie.refresh_from_db()
    assert tie.strength == 3

    delete = f"/en/ecosystem/relationships/{tie.pk}/delete/"
    assert "Delete this relationship?" in _get(client, delete)
    assert Relationship.objects.exists()
    client.post(delete)
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_staff_add_rename_and_retire_types_in_both_languages(client: Client) -> None:
    _staff(client)
    client.post(
        "/en/ecosystem/relationships/types/new/",
        {
            "code": "mentors",
            "name_en": "mentors the staff of",
            "name_fr": "accompagne",
            "is_directed": "on",
            "is_active": "on",
            "position": 9,
        },
    )
    page = _get(client, "/fr/ecosystem/relationships/types/")
    assert "mentors the staff of" in page and "accompagne" in page and "Un sens" in page
    RelationshipFactory.create()
    client.post(
        "/en/ecosystem/relationships/types/refers/edit/",
        {
            "name_en": "refers youth to",
            "name_fr": "oriente des jeunes vers",
            "position": 2,
            "is_directed": "on",
        },
    )
    refers = RelationshipType.objects.get(code="refers")
    assert (refers.name_en, refers.is_active) == ("refers youth to", False)  # type: ignore[attr-defined]
    in_use = client.post("/en/ecosystem/relationships/types/refers/delete/")
    assert in_use.status_code == 409
    assert RelationshipType.objects.filter(code="refers").exists()


def _upload(client: Client, text: str, name: str = "ties.csv") -> Any:
    return client.post(
        "/en/ecosystem/relationships/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


@pytest.mark.django_db
def test_an_import_is_previewed_then_written_only_on_confirmation(
    client: Client, tmp_path: Any
) -> None:
    OrganisationFactory.create(name_en="Northern Fund")
    OrganisationFactory.create(name_en="Harbour Mentors")
    _staff(client)
    with override_settings(MEDIA_ROOT=tmp_path):
        preview = _upload(client, "From,To,Type\nNorthern Fund,Harbour Mentors,funds\n")
        body = preview.content.decode()
        assert preview.status_code == 200 and "New relationships" in body
        assert not Relationship.objects.exists()
        token = preview.context["token"]

        confirmed = client.post("/en/ecosystem/relationships/import/", {"confirm": token})
        assert confirmed.status_code == 302
        assert Relationship.objects.count() == 1
        assert AuditEvent.objects.filter(action="ecosystem.relationship_import").exists()
        # The same token cannot write twice.
        client.post("/en/ecosystem/relationships/import/", {"confirm": token})
        assert Relationship.objects.count() == 1


@pytest.mark.django_db
def test_a_file_with_problems_is_reported_row_by_row_and_cannot_be_confirmed(
    client: Client, tmp_path: Any
) -> None:
    OrganisationFactory.create(name_en="Northern Fund")
    _staff(client)
    with override_settings(MEDIA_ROOT=tmp_path):
        refused = _upload(client, "From,To,Type\nNorthern Fund,<b>Ghost</b> Club,funds\n")
        body = refused.content.decode()
        assert refused.status_code == 422
        assert "1 row cannot be imported. Nothing was saved." in body
        assert "&lt;b&gt;Ghost&lt;/b&gt; Club" in body and "<b>Ghost</b>" not in body
        assert 'name="confirm"' not in body
        unreadable = _upload(client, "Colour,Size\nred,big\n")
        assert unreadable.status_code == 422
        assert "Collectif does not know these columns" in unreadable.content.decode()
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_the_import_page_and_its_report_speak_french(client: Client, tmp_path: Any) -> None:
    _staff(client)
    page = _get(client, "/fr/ecosystem/relationships/import/")
    assert "Importer des relations depuis un tableur" in page
    assert "Vérifier le fichier" in page
    with override_settings(MEDIA_ROOT=tmp_path):
        report = client.post(
            "/fr/ecosystem/relationships/import/",
            {
                "file": SimpleUploadedFile(
                    "liens.csv", "De;À;Type\nFantôme;Inconnu;finance\n".encode()
                )
            },
        ).content.decode()
    assert "Aucun organisme ne s’appelle «\u202fFantôme\u202f»" in report
    assert "Lignes avec un organisme introuvable" in report


@pytest.mark.django_db
def test_an_archived_organisation_page_offers_no_new_tie(client: Client) -> None:
    organisation: Organisation = OrganisationFactory.create(archived_at=timezone.now())
    _staff(client)
    page = _get(client, f"/en/ecosystem/organisations/{organisation.slug}/")
    assert "No relationship with another organisation is recorded yet." in page
    assert "Add a relationship" not in page


@pytest.mark.django_db
def test_the_list_sorts_by_link_on_either_end_or_the_start_date(client: Client) -> None:
    RelationshipFactory.create(
        source__name_en="Acorn", target__name_en="Zephyr", started_on="2020-01-01"
    )
    RelationshipFactory.create(
        source__name_en="Birch", target__name_en="Yarrow", started_on="2018-01-01"
    )
    url = LIST.format(language="en")
    assert _order(_get(client, url)) == ["Acorn", "Birch"]
    assert _order(_get(client, url + "?sort=-from")) == ["Birch", "Acorn"]
    assert _order(_get(client, url + "?sort=to")) == ["Birch", "Acorn"]
    assert _order(_get(client, url + "?sort=since")) == ["Birch", "Acorn"]
    page = _get(client, url + "?sort=-from")
    assert 'aria-sort="descending"' in page and "sort=from" in page


def _order(page: str) -> list[str]:
    return sorted(("Acorn", "Birch"), key=page.index)
