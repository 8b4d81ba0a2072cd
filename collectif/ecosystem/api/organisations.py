"""Organisations and sectors over the API: anyone reads the public ones, staff write."""

from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from collectif.accounts.api_auth import optional_auth, required_auth
from collectif.core.actors import request_actor
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.services import organisations as services
from collectif.ecosystem.services.organisations import OrganisationData, organisation_data

router = Router(tags=["organisations"], auth=optional_auth)
sector_router = Router(tags=["organisations"], auth=optional_auth)
# The codes an organisation's `populations_served` and `equity_identities` take.
reach_router = Router(tags=["organisations"], auth=optional_auth)


class OrganisationOut(Schema):
    slug: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    sector: str = Field(description="Sector code, from /sectors")
    head_office_province: str = Field(description="Province or territory code, e.g. ON")
    provinces_served: list[str]
    website: str
    size_band: str
    is_public: bool
    populations_served: list[str] = Field(description="Population group codes")
    equity_identities: list[str] = Field(
        description="Equity identity codes: how the organisation identifies itself"
    )
    archived: bool
    url: str


class OrganisationPage(Page[OrganisationOut]):
    pass


class OrganisationIn(Schema):
    name_en: str = ""
    name_fr: str = ""
    description_en: str = ""
    description_fr: str = ""
    sector: str
    head_office_province: str
    provinces_served: list[str] = []
    website: str = ""
    size_band: str = ""
    is_public: bool = True
    populations_served: list[str] = []
    equity_identities: list[str] = []


class OrganisationPatch(Schema):
    name_en: str | None = None
    name_fr: str | None = None
    description_en: str | None = None
    description_fr: str | None = None
    sector: str | None = None
    head_office_province: str | None = None
    provinces_served: list[str] | None = None
    website: str | None = None
    size_band: str | None = None
    is_public: bool | None = None
    populations_served: list[str] | None = None
    equity_identities: list[str] | None = None


class OrganisationFilters(PageQuery):
    q: str = Field("", max_length=200)
    sector: str = Field("", max_length=50)
    province: str = Field("", max_length=2)
    include_archived: bool = Field(False, description="Staff only: archived ones too")
    equity: str = Field("", max_length=40, description="An equity identity code")
    population: str = Field("", max_length=40, description="A population group code")


class SectorOut(Schema):
    code: str
    name_en: str
    name_fr: str
    position: int


class SectorPage(Page[SectorOut]):
    pass


class ReachOut(Schema):
    code: str
    name_en: str
    name_fr: str


class ReachPage(Page[ReachOut]):
    pass


def _out(request: HttpRequest, organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        slug=organisation.slug,
        **selectors.translated_values(organisation),
        sector=organisation.sector.code,
        head_office_province=organisation.head_office_province_id,
        provinces_served=sorted(p.code for p in organisation.provinces_served.all()),
        website=organisation.website,
        size_band=organisation.size_band,
        is_public=organisation.is_public,
        populations_served=sorted(g.code for g in organisation.populations_served.all()),
        equity_identities=sorted(e.code for e in organisation.equity_identities.all()),
        archived=organisation.is_archived,
        url=request.build_absolute_uri(organisation.get_absolute_url()),
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _resolve_codes(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the codes a client sends into rows; unknown codes are named field by field."""
    errors: dict[str, ValidationError] = {}
    if "sector" in data:
        sector = selectors.sector_get(code=data["sector"] or "")
        if sector is None:
            errors["sector"] = ValidationError(
                _("Choose one of the sectors listed at /api/v1/sectors."), code="invalid"
            )
        data["sector"] = sector
    codes = [data.get("head_office_province") or "", *(data.get("provinces_served") or [])]
    provinces = selectors.provinces_by_code(codes=[c for c in codes if c])
    if "head_office_province" in data:
        province = provinces.get((data["head_office_province"] or "").upper())
        if province is None:
            errors["head_office_province"] = ValidationError(
                _("Give a province or territory code, such as ON or QC."), code="invalid"
            )
        data["head_office_province"] = province
    if "provinces_served" in data:
        served = data["provinces_served"] or []
        unknown = [code for code in served if code.upper() not in provinces]
        if unknown:
            errors["provinces_served"] = ValidationError(
                _("These are not province or territory codes: %(codes)s."),
                code="invalid",
                params={"codes": ", ".join(unknown)},
            )
        data["provinces_served"] = tuple(
            provinces[c.upper()] for c in served if c.upper() in provinces
        )
    _resolve_reach(data, errors)
    if errors:
        raise ValidationError(errors)
    return data


def _resolve_reach(data: dict[str, Any], errors: dict[str, ValidationError]) -> None:
    """Population group and equity identity codes to rows, unknown ones named."""
    lookups = (
        ("populations_served", selectors.population_by_code),
        ("equity_identities", selectors.equity_by_code),
    )
    for field, lookup in lookups:
        if field not in data:
            continue
        codes = [str(code) for code in data[field] or []]
        found = lookup(codes=codes)
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors[field] = ValidationError(
                _("These codes are not known: %(codes)s. See /api/v1/reach for the lists."),
                code="invalid",
                params={"codes": ", ".join(unknown)},
            )
        data[field] = tuple(found[code] for code in dict.fromkeys(codes) if code in found)


@router.get("", response=responses(OrganisationPage), summary="Search the organisations")
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> OrganisationPage:
    organisations = selectors.organisation_list(
        user=request.user,
        q=filters.q,
        sector=filters.sector,
        province=filters.province,
        include_archived=filters.include_archived,
        equity=filters.equity,
        population=filters.population,
        with_reach=True,
    )
    return paginate(
        request,
        organisations,
        filters,
        out=lambda organisation: _out(request, organisation),
        page=OrganisationPage,
    )


@router.get("/{slug}", response=responses(OrganisationOut, 404), summary="One organisation")
def get_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    return _out(request, selectors.organisation_get(user=request.user, slug=slug))


@router.post(
    "",
    response=responses(OrganisationOut, 403, status=201),
    auth=required_auth,
    summary="Add an organisation (backbone staff)",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[OrganisationOut]:
    _require(request, "ecosystem.add_organisation")
    data = _resolve_codes(payload.model_dump())
    organisation = services.organisation_create(
        actor=request_actor(request), data=OrganisationData(**data)
    )
    return Status(201, _out(request, organisation))


@router.patch(
    "/{slug}",
    response=responses(OrganisationOut, 403, 404),
    auth=required_auth,
    summary="Change an organisation (backbone staff)",
)
def update_organisation(
    request: HttpRequest, slug: str, payload: OrganisationPatch
) -> OrganisationOut:
    _require(request, "ecosystem.change_organisation")
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    changes = _resolve_codes(payload.model_dump(exclude_unset=True))
    data = replace(organisation_data(organisation), **changes)
    return _out(
        request,
        services.organisation_update(
            actor=request_actor(request), organisation=organisation, data=data
        ),
    )


@router.post(
    "/{slug}/archive",
    response=responses(OrganisationOut, 403, 404),
    auth=required_auth,
    summary="Archive an organisation (backbone staff)",
)
def archive_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    _require(request, "ecosystem.archive_organisation")
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    organisation = services.organisation_archive(
        actor=request_actor(request), organisation=organisation
    )
    return _out(request, organisation)


@router.post(
    "/{slug}/restore",
    response=responses(OrganisationOut, 403, 404),
    auth=required_auth,
    summary="Restore an archived organisation (backbone staff)",
)
def restore_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    _require(request, "ecosystem.archive_organisation")
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    organisation = services.organisation_restore(
        actor=request_actor(request), organisation=organisation
    )
    return _out(request, organisation)


@sector_router.get("", response=responses(SectorPage), summary="The sectors in use")
def list_sectors(request: HttpRequest, pages: Query[PageQuery]) -> SectorPage:
    return paginate(
        request, selectors.sector_list(), pages, out=SectorOut.from_orm, page=SectorPage
    )


@reach_router.get(
    "/populations", response=responses(ReachPage), summary="The population groups in use"
)
def list_population_groups(request: HttpRequest, pages: Query[PageQuery]) -> ReachPage:
    return paginate(
        request, selectors.population_choices(), pages, out=ReachOut.from_orm, page=ReachPage
    )


@reach_router.get(
    "/equity-identities", response=responses(ReachPage), summary="The equity identities in use"
)
def list_equity_identities(request: HttpRequest, pages: Query[PageQuery]) -> ReachPage:
    return paginate(
        request, selectors.equity_choices(), pages, out=ReachOut.from_orm, page=ReachPage
    )
