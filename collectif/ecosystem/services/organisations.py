"""Every write about organisations: create, edit, archive, restore, delete, export."""

from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from collectif.core.actors import SYSTEM, Actor, require
from collectif.core.models import Job, Province
from collectif.core.results_version import results_version_bump
from collectif.core.services import audit_record, diff_fields, job_create, job_enqueue
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import (
    Engagement,
    EquityIdentity,
    Organisation,
    PopulationGroup,
    Sector,
)
from collectif.ecosystem.selectors import organisations as selectors

NAME_FIELDS = ("name_en", "name_fr")
DESCRIPTION_FIELDS = ("description_en", "description_fr")
SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length or 80
DESCRIPTION_MAX_LENGTH = 4000

EXPORT_JOB_KIND = "ecosystem.organisation_export"
# Addresses the organisation pages use themselves; no organisation may take them.
RESERVED_SLUGS = frozenset({"new", "export", "import"})
M2M_FIELDS = ("provinces_served", "populations_served", "equity_identities")


def _snapshot(
    organisation: Organisation,
    provinces: Iterable[Province],
    reach: "tuple[Iterable[PopulationGroup], Iterable[EquityIdentity]]",
) -> dict[str, Any]:
    """The editable fields as plain values, so an audit diff reads like the form did."""
    populations, identities = reach
    return {
        **{name: getattr(organisation, name) or "" for name in (*NAME_FIELDS, *DESCRIPTION_FIELDS)},
        "sector": organisation.sector.code if organisation.sector_id else "",
        "head_office_province": organisation.head_office_province_id or "",
        "provinces_served": sorted(p.code for p in provinces),
        "website": organisation.website,
        "size_band": organisation.size_band,
        "is_public": organisation.is_public,
        "populations_served": sorted(p.code for p in populations),
        "equity_identities": sorted(e.code for e in identities),
    }


def _stored_reach(
    organisation: Organisation,
) -> tuple[list[PopulationGroup], list[EquityIdentity]]:
    return list(organisation.populations_served.all()), list(organisation.equity_identities.all())


def _reach(
    data: "OrganisationData",
) -> tuple[tuple[PopulationGroup, ...], tuple[EquityIdentity, ...]]:
    return data.populations_served, data.equity_identities


def _unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    """A readable address from the name; a number is added when another one has it."""
    base = slugify(text)[: SLUG_MAX_LENGTH - 4].strip("-") or "organisation"
    taken = RESERVED_SLUGS | set(
        Organisation.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk or 0)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _duplicate_errors(organisation: Organisation) -> dict[str, list[ValidationError]]:
    """Names already used by another organisation with its head office in the same place.

    Either language counts against either language: "Mentorat Québec" typed as an
    English name is the same organisation as one whose French name it is.
    """
    if not organisation.head_office_province_id:
        return {}
    errors: dict[str, list[ValidationError]] = {}
    for field in NAME_FIELDS:
        name = (getattr(organisation, field) or "").strip()
        if not name:
            continue
        existing = selectors.organisation_with_name(
            name=name,
            province_code=organisation.head_office_province_id,
            exclude_pk=organisation.pk,
        )
        if existing is not None:
            errors[field] = [
                ValidationError(
                    _(
                        "An organisation called “%(name)s” already has its head office in "
                        "%(province)s. Check it is not the same organisation, or give this "
                        "one a more precise name."
                    ),
                    code="duplicate",
                    params={"name": name, "province": organisation.head_office_province},
                )
            ]
    return errors


def _validate(organisation: Organisation) -> None:
    """Collect every problem at once so the person can fix them in one go."""
    errors: dict[str, list[ValidationError]] = {}
    if not any((getattr(organisation, f) or "").strip() for f in NAME_FIELDS):
        errors["name_en"] = [
            ValidationError(
                _("Enter the organisation's name in English, in French or in both."),
                code="required",
            )
        ]
    for field in DESCRIPTION_FIELDS:
        try:
            MaxLengthValidator(DESCRIPTION_MAX_LENGTH)(getattr(organisation, field) or "")
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_list)
    try:
        # The untranslated name and description mirror the language columns: their
        # errors would repeat those of name_en or name_fr. Our own duplicate check gives
        # a clearer message than the database constraint's.
        organisation.full_clean(exclude=["name", "description"], validate_constraints=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    for field, field_errors in _duplicate_errors(organisation).items():
        errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def _clean_text(value: str | None) -> str:
    return str(value or "").strip()


@dataclass(frozen=True, kw_only=True)
class OrganisationData:
    """What a person edits about an organisation, as every channel hands it over."""

    name_en: str = ""
    name_fr: str = ""
    description_en: str = ""
    description_fr: str = ""
    sector: Sector
    head_office_province: Province
    provinces_served: tuple[Province, ...] = ()
    website: str = ""
    size_band: str = ""
    is_public: bool = True
    # How the organisation identifies itself and whom it serves (issue 11, part 4).
    populations_served: tuple[PopulationGroup, ...] = ()
    equity_identities: tuple[EquityIdentity, ...] = ()


def organisation_data(organisation: Organisation) -> OrganisationData:
    """An organisation's editable fields as they stand, for a partial change (API PATCH)."""
    return OrganisationData(
        **selectors.translated_values(organisation),
        sector=organisation.sector,
        head_office_province=organisation.head_office_province,
        provinces_served=tuple(organisation.provinces_served.all()),
        website=organisation.website,
        size_band=organisation.size_band,
        is_public=organisation.is_public,
        populations_served=tuple(organisation.populations_served.all()),
        equity_identities=tuple(organisation.equity_identities.all()),
    )


def _assign(organisation: Organisation, data: OrganisationData) -> None:
    """Copy the edited fields onto the organisation, text trimmed."""
    for name in (*NAME_FIELDS, *DESCRIPTION_FIELDS):
        setattr(organisation, name, _clean_text(getattr(data, name)))
    organisation.sector = data.sector
    organisation.head_office_province = data.head_office_province
    organisation.website = _clean_text(data.website)
    organisation.size_band = data.size_band or ""
    organisation.is_public = data.is_public


def _columns(changed: Iterable[str]) -> list[str]:
    """The columns to write for the changed fields; a language column also rewrites the
    untranslated one, which holds the name in the language of whoever saved last."""
    columns: set[str] = set()
    for name in changed:
        if name in M2M_FIELDS:
            continue
        columns.add(name)
        if name in NAME_FIELDS:
            columns.add("name")
        elif name in DESCRIPTION_FIELDS:
            columns.add("description")
    return sorted(columns)


def organisation_check(
    *, data: OrganisationData, organisation: Organisation | None = None
) -> list[str]:
    """What creating (or changing `organisation` to) `data` would change, writing nothing.

    Raises the ValidationError the write would raise, so an import can preview every row
    and refuse a file before anything is saved. Returns the changed fields' names.
    """
    candidate = copy(organisation) if organisation is not None else Organisation()
    before = (
        _snapshot(organisation, organisation.provinces_served.all(), _stored_reach(organisation))
        if organisation is not None
        else {}
    )
    _assign(candidate, data)
    if not candidate.slug:
        candidate.slug = _unique_slug(_clean_text(data.name_en) or _clean_text(data.name_fr))
    changes = diff_fields(before, _snapshot(candidate, data.provinces_served, _reach(data)))
    if changes:
        _validate(candidate)
    return sorted(changes)


@transaction.atomic
def organisation_create(
    *, actor: Actor, data: OrganisationData, slug: str | None = None
) -> Organisation:
    require(actor, "ecosystem.add_organisation")
    organisation = Organisation()
    _assign(organisation, data)
    organisation.slug = slug or _unique_slug(_clean_text(data.name_en) or _clean_text(data.name_fr))
    _validate(organisation)
    organisation.save()
    organisation.provinces_served.set(data.provinces_served)
    organisation.populations_served.set(data.populations_served)
    organisation.equity_identities.set(data.equity_identities)
    # Every organisation starts the pipeline identified: the board reads one row each.
    Engagement.objects.create(organisation=organisation, stage_since=timezone.localdate())
    audit_record(
        actor=actor,
        action=EcosystemAction.ORGANISATION_CREATE,
        target=organisation,
        changes=diff_fields({}, _snapshot(organisation, data.provinces_served, _reach(data))),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, data: OrganisationData
) -> Organisation:
    """Change the organisation; the address (slug) stays so links and bookmarks keep working."""
    require(actor, "ecosystem.change_organisation", organisation)
    before = _snapshot(
        organisation, organisation.provinces_served.all(), _stored_reach(organisation)
    )
    _assign(organisation, data)
    changes = diff_fields(before, _snapshot(organisation, data.provinces_served, _reach(data)))
    if not changes:
        return organisation
    _validate(organisation)
    organisation.save(update_fields=[*_columns(changes), "updated_at"])
    if "provinces_served" in changes:
        organisation.provinces_served.set(data.provinces_served)
    if "populations_served" in changes:
        organisation.populations_served.set(data.populations_served)
    if "equity_identities" in changes:
        organisation.equity_identities.set(data.equity_identities)
    audit_record(
        actor=actor,
        action=EcosystemAction.ORGANISATION_UPDATE,
        target=organisation,
        changes=changes,
    )
    if "is_public" in changes:
        _network_changed()
    results_version_bump()  # its name and provinces show on results and completeness pages
    return organisation


def _network_changed() -> None:
    """Who the public map shows changed: its metrics are computed again (the public part
    of the network counts only public, active organisations)."""
    from collectif.ecosystem.services.network import network_analysis_request

    network_analysis_request(actor=SYSTEM)


@transaction.atomic
def organisation_archive(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Archive rather than delete: the data partners reported stays in the history."""
    require(actor, "ecosystem.archive_organisation", organisation)
    if organisation.archived_at is None:
        organisation.archived_at = timezone.now()
        organisation.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=EcosystemAction.ORGANISATION_ARCHIVE,
            target=organisation,
            changes={"archived": [False, True]},
        )
        _network_changed()
        results_version_bump()  # it leaves the completeness page
    return organisation


@transaction.atomic
def organisation_restore(*, actor: Actor, organisation: Organisation) -> Organisation:
    require(actor, "ecosystem.archive_organisation", organisation)
    if organisation.archived_at is not None:
        organisation.archived_at = None
        organisation.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=EcosystemAction.ORGANISATION_RESTORE,
            target=organisation,
            changes={"archived": [True, False]},
        )
        _network_changed()
        results_version_bump()  # it comes back on the completeness page
    return organisation


@transaction.atomic
def organisation_delete(*, actor: Actor, organisation: Organisation) -> None:
    """Only an organisation entered by mistake, with nothing attached, may disappear."""
    require(actor, "ecosystem.delete_organisation", organisation)
    if selectors.organisation_attachments(organisation=organisation):
        raise ValidationError(
            _(
                "%(name)s has people, invitations or data attached, so it cannot be "
                "deleted. Archive it instead: it will leave the lists but keep its history."
            ),
            code="attached",
            params={"name": organisation},
        )
    before = _snapshot(
        organisation, organisation.provinces_served.all(), _stored_reach(organisation)
    )
    audit_record(
        actor=actor,
        action=EcosystemAction.ORGANISATION_DELETE,
        target=organisation,
        changes=diff_fields(before, dict.fromkeys(before)),
    )
    organisation.delete()
    results_version_bump()


def organisation_export_start(
    *, actor: Actor, language: str, filters: dict[str, Any] | None = None
) -> Job:
    """Start a CSV export in the background; the job page follows it to the download."""
    from collectif.ecosystem.tasks import organisation_export_csv

    require(actor, "ecosystem.export_organisations")
    with transaction.atomic():
        job = job_create(
            kind=EXPORT_JOB_KIND,
            actor=actor,
            params={"language": language, "filters": filters or {}},
        )
        audit_record(
            actor=actor,
            action=EcosystemAction.ORGANISATION_EXPORT_START,
            target=job,
            changes=filters or {},
        )
        job_enqueue(job, organisation_export_csv)
    return job


@transaction.atomic
def organisation_export_save(*, actor: Actor, job_id: str, filename: str, content: bytes) -> str:
    """Keep the finished file and point the job at it, for the download link."""
    require(actor, "ecosystem.export_organisations")
    name = default_storage.save(f"jobs/exports/{filename}", ContentFile(content))
    Job.objects.filter(pk=job_id).update(result_file=name)
    return name
