import pytest
from django.test import Client
from django.utils import timezone

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import AuditEvent, Province
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

STAFF_PAGES = [
    "/en/ecosystem/organisations/",
    "/en/ecosystem/organisations/new/",
]


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_en": "Mentoring Circle of Halifax",
        "name_fr": "Cercle de mentorat d’Halifax",
        "description_en": "",
        "description_fr": "",
        "sector": Sector.objects.get(code="non-profit").pk,
        "head_office_province": "NS",
        "provinces_served": ["NS", "PE"],
        "website": "example.org/halifax",
        "size_band": "10-49",
        "is_public": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.smoke
@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_for_backbone_staff_only(client: Client, url: str) -> None:
    assert_role_access(client, url, allowed={"staff"})


@pytest.mark.django_db
def test_editing_archiving_and_deleting_are_for_staff_only(client: Client) -> None:
    organisation = OrganisationFactory.create()
    base = f"/en/ecosystem/organisations/{organisation.slug}"
    for page in ("edit", "archive", "delete"):
        assert_role_access(client, f"{base}/{page}/", allowed={"staff"})
    assert_role_access(client, f"{base}/restore/", allowed={"staff"}, method="post", data={})
    assert_role_access(
        client, "/en/ecosystem/organisations/export/", allowed={"staff"}, method="post", data={}
    )


@pytest.mark.django_db
def test_a_public_organisation_is_open_to_all_a_private_one_to_staff(client: Client) -> None:
    public = OrganisationFactory.create()
    private = OrganisationFactory.create(is_public=False)
    archived = OrganisationFactory.create(archived_at=timezone.now())
    everyone = {"anonymous", "no_role", *[r.value for r in Role]}
    assert_role_access(client, public.get_absolute_url(), allowed=everyone)
    assert_role_access(client, private.get_absolute_url(), allowed={"staff"})
    assert_role_access(client, archived.get_absolute_url(), allowed={"staff"})
    assert_role_access(client, "/en/ecosystem/partners/", allowed=everyone)


@pytest.mark.django_db
def test_the_public_list_shows_public_active_partners_and_no_staff_action(client) -> None:
    OrganisationFactory.create(name_en="Open Doors Mentoring")
    OrganisationFactory.create(name_en="Hidden Mentors", is_public=False)
    OrganisationFactory.create(name_en="Closed Mentors", archived_at=timezone.now())
    client.force_login(user_with_role("staff"))
    page = client.get("/en/ecosystem/partners/").content.decode()
    assert "Open Doors Mentoring" in page
    assert "Hidden Mentors" not in page
    assert "Closed Mentors" not in page
    assert "Add an organisation" not in page


@pytest.mark.django_db
def test_the_staff_list_filters_sorts_and_pages(client, settings) -> None:
    settings.COLLECTIF = {**settings.COLLECTIF, "PAGE_SIZE": 2}
    client.force_login(user_with_role("staff"))
    funder = Sector.objects.get(code="funder")
    for name in ("Alpha Fund", "Beta Fund", "Gamma Fund"):
        OrganisationFactory.create(name_en=name, sector=funder)
    OrganisationFactory.create(name_en="Archived Fund", sector=funder, archived_at=timezone.now())
    page = client.get("/en/ecosystem/organisations/?sector=funder&sort=-name").content.decode()
    assert "3 organisations" in page
    assert page.index("Gamma Fund") < page.index("Beta Fund")
    assert "Alpha Fund" not in page
    assert "Page 1 of 2" in page
    assert 'aria-sort="descending"' in page
    page = client.get("/en/ecosystem/organisations/?sector=funder&archived=1").content.decode()
    assert "4 organisations" in page and "Archived" in page


@pytest.mark.django_db
def test_empty_lists_teach_what_to_do(client) -> None:
    # A superuser counts as staff without belonging to an organisation.
    client.force_login(UserFactory.create(is_superuser=True))
    page = client.get("/en/ecosystem/organisations/").content.decode()
    assert "Add the first one" in page
    OrganisationFactory.create()
    page = client.get("/en/ecosystem/organisations/?q=nothing-like-this").content.decode()
    assert "No organisation matches these filters." in page
    page = client.get("/fr/ecosystem/organisations/?q=nothing-like-this").content.decode()
    assert "Aucun organisme ne correspond à ces filtres." in page


@pytest.mark.smoke
@pytest.mark.django_db
def test_creating_through_the_form_writes_one_row_and_one_audit_event(client) -> None:
    client.force_login(user_with_role("staff"))
    before = Organisation.objects.count()
    response = client.post("/en/ecosystem/organisations/new/", _form(), follow=True)
    assert response.status_code == 200
    organisation = Organisation.objects.get(slug="mentoring-circle-of-halifax")
    assert Organisation.objects.count() == before + 1
    assert organisation.website == "https://example.org/halifax"
    assert sorted(p.code for p in organisation.provinces_served.all()) == ["NS", "PE"]
    assert AuditEvent.objects.filter(action=EcosystemAction.ORGANISATION_CREATE).count() == 1
    assert "Mentoring Circle of Halifax was added" in response.content.decode()


@pytest.mark.django_db
def test_a_duplicate_re_renders_in_french_with_the_error_summary_and_writes_nothing(
    client,
) -> None:
    client.force_login(user_with_role("staff"))
    OrganisationFactory.create(
        name_en="Mentoring Circle of Halifax",
        name_fr="",
        head_office_province=Province.objects.get(code="NS"),
    )
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    response = client.post("/fr/ecosystem/organisations/new/", _form(name_fr="", name_en="x" * 201))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Il y a un problème" in page
    assert "au plus 200 caractères" in page
    response = client.post("/fr/ecosystem/organisations/new/", _form())
    page = response.content.decode()
    assert "a déjà son siège dans cette province ou ce territoire (Nouvelle-Écosse)" in page
    assert 'href="#id_name_en"' in page
    assert 'value="Cercle de mentorat d’Halifax"' in page
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_form_labels_say_the_language(client) -> None:
    client.force_login(user_with_role("staff"))
    english = client.get("/en/ecosystem/organisations/new/").content.decode()
    french = client.get("/fr/ecosystem/organisations/new/").content.decode()
    assert "Name (English)" in english and "Name (French)" in english
    assert "Nom (anglais)" in french and "Nom (français)" in french


@pytest.mark.django_db
def test_editing_saves_the_changes_and_keeps_the_address(client) -> None:
    client.force_login(user_with_role("staff"))
    organisation = OrganisationFactory.create(slug="circle")
    url = f"/en/ecosystem/organisations/{organisation.slug}/edit/"
    assert "Mentoring Program" in client.get(url).content.decode()
    response = client.post(url, _form(name_en="Renamed Circle"))
    assert response.status_code == 302
    assert response["Location"] == "/en/ecosystem/organisations/circle/"
    organisation.refresh_from_db()
    assert selectors.translated_values(organisation)["name_en"] == "Renamed Circle"


@pytest.mark.django_db
def test_archive_asks_first_then_hides_and_restore_brings_back(client) -> None:
    client.force_login(user_with_role("staff"))
    organisation = OrganisationFactory.create(slug="circle", name_en="Circle")
    url = "/en/ecosystem/organisations/circle/archive/"
    assert "Archive Circle?" in client.get(url).content.decode()
    organisation.refresh_from_db()
    assert not organisation.is_archived
    page = client.post(url, follow=True).content.decode()
    assert "Circle is archived" in page
    organisation.refresh_from_db()
    assert organisation.is_archived
    assert "Circle" not in client.get("/en/ecosystem/partners/").content.decode()
    client.post("/en/ecosystem/organisations/circle/restore/")
    organisation.refresh_from_db()
    assert not organisation.is_archived


@pytest.mark.django_db
def test_delete_is_offered_only_when_nothing_is_attached(client) -> None:
    client.force_login(user_with_role("staff"))
    attached = OrganisationFactory.create(slug="attached", name_en="Attached")
    Membership.objects.create(user=UserFactory.create(), organisation=attached, role=Role.STEWARD)
    page = client.get("/en/ecosystem/organisations/attached/").content.decode()
    assert "/attached/delete/" not in page
    response = client.post("/en/ecosystem/organisations/attached/delete/")
    assert response.status_code == 409
    assert "Attached cannot be deleted" in response.content.decode()
    assert Organisation.objects.filter(slug="attached").exists()

    OrganisationFactory.create(slug="mistake", name_en="Mistake")
    assert "/mistake/delete/" in client.get("/en/ecosystem/organisations/mistake/").content.decode()
    response = client.post("/en/ecosystem/organisations/mistake/delete/", follow=True)
    assert "Mistake was deleted" in response.content.decode()
    assert not Organisation.objects.filter(slug="mistake").exists()


@pytest.mark.django_db
def test_the_detail_page_shows_the_fallback_and_the_status_in_words(client) -> None:
    organisation = OrganisationFactory.create(
        name_en="Harbour Mentors", name_fr="", description_fr="", is_public=False
    )
    organisation.provinces_served.set(Province.objects.all())
    client.force_login(user_with_role("staff"))
    page = client.get(f"/fr/ecosystem/organisations/{organisation.slug}/").content.decode()
    assert "Harbour Mentors" in page
    assert "en anglais seulement" in page
    assert "Privé" in page
    assert "Les 13 provinces et territoires" in page
    assert "Modifier" in page
