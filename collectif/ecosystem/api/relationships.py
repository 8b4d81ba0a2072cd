"""Relationships over the API: anyone reads the ties between public organisations, staff write.

Organisations are named by their slug and types by their code (from
`/relationships/types`), as in the rest of the API.
"""

from dataclasses import replace
from datetime import date
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
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType, Strength
from collectif.ecosystem.selectors import relationships as selectors
from collectif.ecosystem.services import relationships as services
from collectif.ecosystem.services.relationships import RelationshipData, relationship_data

router = Router(tags=["relationships"], auth=optional_auth)


class TieEndOut(Schema):
    slug: str
    name_en: str
    name_fr: str
    province: str = Field(description="Head office province or territory code")


class RelationshipOut(Schema):
    id: int
    source: TieEndOut
    target: TieEndOut
    type: str = Field(description="Type code, from /relationships/types")
    directed: bool = Field(description="False when the type goes both ways (partners with)")
    strength: int = Field(description="1 weak, 2 moderate, 3 strong")
    started_on: date | None
    ended_on: date | None
    note: str | None = Field(description="Staff only; null for everyone else")


class RelationshipPage(Page[RelationshipOut]):
    pass


class RelationshipTypeOut(Schema):
    code: str
    name_en: str
    name_fr: str
    directed: bool
    active: bool


class RelationshipTypePage(Page[RelationshipTypeOut]):
    pass


class RelationshipIn(Schema):
    source: str = Field(description="The organisation the tie starts from (slug)")
    target: str = Field(description="The organisation it goes to (slug)")
    type: str = Field(description="Type code")
    strength: int = Field(Strength.MODERATE, ge=1, le=3)
    started_on: date | None = None
    ended_on: date | None = None
    note: str = Field("", max_length=services.NOTE_MAX_LENGTH)


class RelationshipPatch(Schema):
    source: str | None = None
    target: str | None = None
    type: str | None = None
    strength: int | None = Field(None, ge=1, le=3)
    started_on: date | None = None
    ended_on: date | None = None
    note: str | None = Field(None, max_length=services.NOTE_MAX_LENGTH)


class RelationshipFilters(PageQuery):
    organisation: str = Field("", max_length=80, description="Ties of this organisation (slug)")
    type: str = Field("", max_length=40, description="Type code")
    province: str = Field("", max_length=2, description="Either end's head office")
    sector: str = Field("", max_length=50, description="Either end's sector code")


def _end(organisation: Organisation) -> TieEndOut:
    return TieEndOut(
        slug=organisation.slug,
        name_en=getattr(organisation, "name_en", "") or "",
        name_fr=getattr(organisation, "name_fr", "") or "",
        province=organisation.head_office_province_id,
    )


def _out(request: HttpRequest, relationship: Relationship) -> RelationshipOut:
    staff = request.user.has_perm("ecosystem.manage_relationships")
    return RelationshipOut(
        id=relationship.pk,
        source=_end(relationship.source),
        target=_end(relationship.target),
        type=relationship.type.code,
        directed=relationship.type.is_directed,
        strength=relationship.strength,
        started_on=relationship.started_on,
        ended_on=relationship.ended_on,
        note=relationship.note if staff else None,
    )


def _type_out(relationship_type: RelationshipType) -> RelationshipTypeOut:
    return RelationshipTypeOut(
        code=relationship_type.code,
        name_en=getattr(relationship_type, "name_en", "") or "",
        name_fr=getattr(relationship_type, "name_fr", "") or "",
        directed=relationship_type.is_directed,
        active=relationship_type.is_active,
    )


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("ecosystem.manage_relationships"):
        raise PermissionDenied


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the slugs and code a client sends into rows; unknown ones are named by field."""
    errors: dict[str, ValidationError] = {}
    for field in ("source", "target"):
        if field in data:
            organisation = selectors.organisation_for_slug(slug=data[field] or "")
            if organisation is None:
                errors[field] = ValidationError(
                    _("No organisation has this slug: see /api/v1/organisations."), code="invalid"
                )
            data[field] = organisation
    if "type" in data:
        relationship_type = selectors.relationship_type_get(code=data["type"] or "")
        if relationship_type is None:
            errors["type"] = ValidationError(
                _("Choose one of the types listed at /api/v1/relationships/types."),
                code="invalid",
            )
        data["type"] = relationship_type
    if "note" in data and data["note"] is None:
        data["note"] = ""
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/types", response=responses(RelationshipTypePage), summary="The types of relationship")
def list_relationship_types(request: HttpRequest, pages: Query[PageQuery]) -> RelationshipTypePage:
    return paginate(
        request,
        selectors.relationship_type_list(include_inactive=True),
        pages,
        out=_type_out,
        page=RelationshipTypePage,
    )


@router.get("", response=responses(RelationshipPage), summary="Search the relationships")
def list_relationships(
    request: HttpRequest, filters: Query[RelationshipFilters]
) -> RelationshipPage:
    relationships = selectors.relationship_list(
        user=request.user,
        organisation=filters.organisation,
        type=filters.type,
        province=filters.province,
        sector=filters.sector,
    )
    return paginate(
        request,
        relationships,
        filters,
        out=lambda relationship: _out(request, relationship),
        page=RelationshipPage,
    )


@router.get(
    "/{relationship_id}", response=responses(RelationshipOut, 404), summary="One relationship"
)
def get_relationship(request: HttpRequest, relationship_id: int) -> RelationshipOut:
    return _out(request, selectors.relationship_get(user=request.user, pk=relationship_id))


@router.post(
    "",
    response=responses(RelationshipOut, 403, status=201),
    auth=required_auth,
    summary="Record a relationship (backbone staff)",
)
def create_relationship(request: HttpRequest, payload: RelationshipIn) -> Status[RelationshipOut]:
    _require(request)
    data = _resolve(payload.model_dump())
    relationship = services.relationship_create(
        actor=request_actor(request), data=RelationshipData(**data)
    )
    saved = selectors.relationship_get(user=request.user, pk=relationship.pk)
    return Status(201, _out(request, saved))


@router.patch(
    "/{relationship_id}",
    response=responses(RelationshipOut, 403, 404),
    auth=required_auth,
    summary="Change a relationship (backbone staff)",
)
def update_relationship(
    request: HttpRequest, relationship_id: int, payload: RelationshipPatch
) -> RelationshipOut:
    _require(request)
    relationship = selectors.relationship_get(user=request.user, pk=relationship_id)
    changes = _resolve(payload.model_dump(exclude_unset=True))
    data = replace(relationship_data(relationship), **changes)
    services.relationship_update(actor=request_actor(request), relationship=relationship, data=data)
    return _out(request, selectors.relationship_get(user=request.user, pk=relationship_id))


@router.delete(
    "/{relationship_id}",
    response=responses(RelationshipOut, 403, 404),
    auth=required_auth,
    summary="Delete a relationship (backbone staff)",
    description="Answers with the relationship as it was, for the client's records.",
)
def delete_relationship(request: HttpRequest, relationship_id: int) -> RelationshipOut:
    _require(request)
    relationship = selectors.relationship_get(user=request.user, pk=relationship_id)
    deleted = _out(request, relationship)
    services.relationship_delete(actor=request_actor(request), relationship=relationship)
    return deleted
