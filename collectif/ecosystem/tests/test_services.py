from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent, Job, Province
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.selectors.network import ANALYSIS_JOB_KIND
from collectif.ecosystem.services import organisations as services
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _data(**overrides: Any) -> services.OrganisationData:
    fields: dict[str, Any] = {
        "name_en": "Mentoring Circle of Halifax",
        "name_fr": "Cercle de mentorat d’Halifax",
        "sector": Sector.objects.get(code="non-profit"),
        "head_office_province": Province.objects.get(code="NS"),
    }
    fields.update(overrides)
    return services.OrganisationData(**fields)


def _create(*, actor: Any = SYSTEM, **overrides: Any) -> Organisation:
    return services.organisation_create(actor=actor, data=_data(**overrides))


def _update(organisation: Organisation, *, actor: Any = SYSTEM, **changes: Any) -> Organisation:
    data = replace(services.organisation_data(organisation), **changes)
    return services.organisation_update(actor=actor, organisation=organisation, data=data)


@pytest.mark.smoke
@pytest.mark.django_db
def test_create_writes_the_organisation_its_provinces_and_an_audit_event() -> None:
    staff = user_with_role("staff")
    pe = Province.objects.get(code="PE")
    organisation = _create(actor=staff, provinces_served=(pe,), website="https://example.org")
    assert organisation.slug == "mentoring-circle-of-halifax"
    assert list(organisation.provinces_served.all()) == [pe]
    event = AuditEvent.objects.get(action=EcosystemAction.ORGANISATION_CREATE)
    assert event.actor == staff
    assert event.changes["name_en"] == [None, "Mentoring Circle of Halifax"]
    assert event.changes["provinces_served"] == [None, ["PE"]]


@pytest.mark.django_db
def test_the_slug_gets_a_number_when_the_name_is_taken_elsewhere() -> None:
    first = _create()
    second = _create(head_office_province=Province.objects.get(code="NB"))
    third = _create(head_office_province=Province.objects.get(code="PE"))
    assert [first.slug, second.slug, third.slug] == [
        "mentoring-circle-of-halifax",
        "mentoring-circle-of-halifax-2",
        "mentoring-circle-of-halifax-3",
    ]


@pytest.mark.django_db
def test_a_slug_used_by_the_pages_is_never_given() -> None:
    assert _create(name_en="New", name_fr="").slug == "new-2"


@pytest.mark.django_db
def test_a_name_in_one_language_is_enough_but_none_is_refused() -> None:
    assert _create(name_en="", name_fr="Grands amis de Montréal").name == "Grands amis de Montréal"
    with pytest.raises(ValidationError) as caught:
        _create(name_en="  ", name_fr="")
    assert "name_en" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_en", "mentoring circle of HALIFAX"),
        ("name_fr", "CERCLE DE MENTORAT D’HALIFAX"),
        ("name_fr", "Mentoring Circle of Halifax"),
    ],
)
@pytest.mark.django_db
def test_a_duplicate_name_in_the_same_province_is_refused_and_nothing_written(
    field: str, value: str
) -> None:
    _create()
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    names = {"name_en": "Another name", "name_fr": "Un autre nom", field: value}
    with pytest.raises(ValidationError) as caught:
        _create(**names)
    assert field in caught.value.message_dict
    assert "already has its head office in Nova Scotia" in caught.value.message_dict[field][0]
    with translation.override("fr"):
        assert "a déjà son siège" in caught.value.message_dict[field][0]
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_same_name_in_another_province_is_allowed() -> None:
    _create()
    other = _create(head_office_province=Province.objects.get(code="ON"))
    assert other.head_office_province_id == "ON"
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_an_over_long_name_is_refused_in_the_readers_language() -> None:
    with pytest.raises(ValidationError) as caught:
        _create(name_en="x" * 201)
    assert Organisation.objects.count() == 0
    messages = caught.value.message_dict
    assert list(messages) == ["name_en"]
    assert "at most 200 characters" in messages["name_en"][0]
    with translation.override("fr"):
        assert "au plus 200 caractères" in caught.value.message_dict["name_en"][0]


@pytest.mark.django_db
def test_an_over_long_description_and_a_bad_website_are_refused_together() -> None:
    with pytest.raises(ValidationError) as caught:
        _create(description_fr="é" * 4001, website="not a website")
    assert set(caught.value.message_dict) == {"description_fr", "website"}
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_update_records_only_what_changed() -> None:
    organisation = _create()
    staff = user_with_role("staff")
    _update(
        organisation,
        actor=staff,
        name_en="Mentoring Circle of Halifax",
        size_band="10-49",
        provinces_served=(Province.objects.get(code="PE"),),
    )
    event = AuditEvent.objects.get(action=EcosystemAction.ORGANISATION_UPDATE)
    assert event.changes == {"size_band": ["", "10-49"], "provinces_served": [[], ["PE"]]}
    organisation.refresh_from_db()
    assert organisation.size_band == "10-49"
    assert organisation.slug == "mentoring-circle-of-halifax"


@pytest.mark.django_db
def test_update_without_a_change_writes_nothing() -> None:
    organisation = _create()
    _update(organisation, name_fr="Cercle de mentorat d’Halifax")
    assert not AuditEvent.objects.filter(action=EcosystemAction.ORGANISATION_UPDATE).exists()


@pytest.mark.django_db
def test_update_into_a_duplicate_is_refused_and_nothing_changes() -> None:
    _create()
    other = _create(name_en="Big Friends of Halifax", name_fr="")
    with pytest.raises(ValidationError) as caught:
        _update(other, name_fr="Cercle de mentorat d’Halifax")
    assert "name_fr" in caught.value.message_dict
    other.refresh_from_db()
    assert selectors.translated_values(other)["name_fr"] == ""


@pytest.mark.django_db
def test_archive_and_restore_are_recorded_once_each() -> None:
    organisation = _create()
    services.organisation_archive(actor=SYSTEM, organisation=organisation)
    services.organisation_archive(actor=SYSTEM, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.is_archived
    services.organisation_restore(actor=SYSTEM, organisation=organisation)
    organisation.refresh_from_db()
    assert not organisation.is_archived
    organisations = AuditEvent.objects.filter(action__startswith="ecosystem.organisation_")
    actions = list(organisations.order_by("id").values_list("action", flat=True))
    assert actions == [
        EcosystemAction.ORGANISATION_CREATE,
        EcosystemAction.ORGANISATION_ARCHIVE,
        EcosystemAction.ORGANISATION_RESTORE,
    ]


@pytest.mark.django_db
def test_delete_is_allowed_only_with_nothing_attached() -> None:
    organisation = OrganisationFactory.create()
    Membership.objects.create(
        user=UserFactory.create(), organisation=organisation, role=Role.STEWARD
    )
    with pytest.raises(ValidationError) as caught:
        services.organisation_delete(actor=SYSTEM, organisation=organisation)
    assert "Archive it instead" in caught.value.messages[0]
    assert Organisation.objects.filter(pk=organisation.pk).exists()

    empty = OrganisationFactory.create()
    empty_pk = empty.pk
    services.organisation_delete(actor=SYSTEM, organisation=empty)
    assert not Organisation.objects.filter(pk=empty_pk).exists()
    assert AuditEvent.objects.filter(
        action=EcosystemAction.ORGANISATION_DELETE, object_id=str(empty_pk)
    ).exists()


@pytest.mark.parametrize("role", ["steward", "governance", "researcher", "no_role"])
@pytest.mark.django_db
def test_every_service_refuses_an_actor_who_may_not_act(role: str) -> None:
    """Whatever the channel (page, API, command, task), the service itself says no."""
    organisation = _create()
    archived = _create(name_en="Archived one", name_fr="")
    services.organisation_archive(actor=SYSTEM, organisation=archived)
    person = user_with_role(role, organisation)
    assert person is not None
    before = AuditEvent.objects.count()
    attempts = [
        lambda: _create(actor=person, name_en="Another", name_fr=""),
        lambda: _update(organisation, actor=person, size_band="10-49"),
        lambda: services.organisation_archive(actor=person, organisation=organisation),
        lambda: services.organisation_restore(actor=person, organisation=archived),
        lambda: services.organisation_delete(actor=person, organisation=organisation),
        lambda: services.organisation_export_start(actor=person, language="en"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert AuditEvent.objects.count() == before
    organisation.refresh_from_db()
    assert not organisation.is_archived and organisation.size_band == ""


@pytest.mark.django_db
def test_an_update_writes_only_the_columns_that_changed() -> None:
    organisation = _create()
    with CaptureQueriesContext(connection) as queries:
        _update(organisation, size_band="10-49")
    [update] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "ecosystem_organisation"')
    ]
    assert '"size_band"' in update and '"updated_at"' in update
    assert '"name_en"' not in update and '"website"' not in update


@pytest.mark.django_db
def test_hiding_or_archiving_an_organisation_computes_the_public_network_again() -> None:
    """The public map counts only public, active organisations: its metrics follow."""
    organisation = _create()
    analyses = Job.objects.filter(kind=ANALYSIS_JOB_KIND)
    _update(organisation, website="https://example.org/new")
    assert not analyses.exists()  # nothing the map shows changed

    _update(organisation, is_public=False)
    assert analyses.count() == 1
    analyses.update(status=Job.Status.SUCCEEDED)
    services.organisation_archive(actor=SYSTEM, organisation=organisation)
    assert analyses.count() == 2
