"""Every read about organisations and sectors, with who may see what."""

from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils.translation import get_language

from collectif.accounts import selectors as accounts_selectors
from collectif.accounts.models import Membership, Role
from collectif.accounts.permissions import is_backbone_staff
from collectif.core.models import Job, Province
from collectif.ecosystem.models import (
    Engagement,
    EquityIdentity,
    Organisation,
    PopulationGroup,
    Sector,
)

# The sectors whose organisations run programs and so report data through a steward.
STEWARD_SECTORS = ("non-profit", "youth-led")

SORTS = ("name", "-name", "province", "-province", "sector", "-sector", "created", "-created")


TRANSLATED_FIELDS = ("name_en", "name_fr", "description_en", "description_fr")


def translated_values(organisation: Organisation) -> dict[str, str]:
    """The name and description in each language, empty when missing.

    The per-language attributes come from modeltranslation at run time, out of the
    type checker's sight; reading them here keeps every caller typed.
    """
    return {field: getattr(organisation, field) or "" for field in TRANSLATED_FIELDS}


def _language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def _sort_name(language: str) -> Any:
    """The name as the reader sees it: their language, else the other one."""
    other = "en" if language == "fr" else "fr"
    text: CharField[str, str] = CharField()
    return Lower(
        Coalesce(
            NullIf(F(f"name_{language}"), Value(""), output_field=text),
            NullIf(F(f"name_{other}"), Value(""), output_field=text),
            Value(""),
            output_field=text,
        )
    )


def _ordering(sort: str, language: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    name = F("sort_name").desc() if descending and key == "name" else F("sort_name").asc()
    columns: dict[str, Any] = {
        "province": F(f"head_office_province__name_{language}"),
        "sector": F(f"sector__name_{language}"),
        "created": F("created_at"),
    }
    if key in columns:
        column = columns[key]
        return [column.desc() if descending else column.asc(), F("sort_name").asc(), "pk"]
    return [name, "pk"]


def _visible(user: Any) -> QuerySet[Organisation]:
    """Staff see every organisation; everyone else the public ones still active."""
    organisations = Organisation.objects.all()
    if not is_backbone_staff(user):
        organisations = organisations.filter(is_public=True, archived_at__isnull=True)
    return organisations


def _has_steward() -> Exists:
    """Whether a steward reports for the organisation, or it is the backbone's own."""
    return Exists(
        Membership.objects.filter(organisation=OuterRef("pk"), role__in=[Role.STEWARD, Role.STAFF])
    )


def organisation_list(
    *,
    user: Any,
    q: str = "",
    sector: str = "",
    province: str = "",
    include_archived: bool = False,
    needs_steward: bool = False,
    sort: str = "name",
    equity: str = "",
    population: str = "",
    with_reach: bool = False,
) -> QuerySet[Organisation]:
    language = _language()
    organisations = _visible(user)
    if not include_archived:
        organisations = organisations.filter(archived_at__isnull=True)
    term = q.strip()
    if term:
        organisations = organisations.filter(
            Q(name_en__icontains=term)
            | Q(name_fr__icontains=term)
            | Q(description_en__icontains=term)
            | Q(description_fr__icontains=term)
        )
    if sector:
        organisations = organisations.filter(sector__code=sector)
    if province:
        # Exists rather than a join, so an organisation serving several matching
        # provinces still appears once and no DISTINCT is needed.
        serves = Organisation.provinces_served.through.objects.filter(
            organisation_id=OuterRef("pk"), province_id=province.upper()
        )
        organisations = organisations.filter(
            Q(head_office_province_id=province.upper()) | Exists(serves)
        )
    if needs_steward:
        organisations = organisations.filter(sector__code__in=STEWARD_SECTORS).filter(
            ~_has_steward()
        )
    if equity:
        # Exists, as for provinces: one row per organisation, however many identities.
        identifies = Organisation.equity_identities.through._default_manager.filter(
            organisation_id=OuterRef("pk"), equityidentity__code=equity
        )
        organisations = organisations.filter(Exists(identifies))
    if population:
        serves_group = Organisation.populations_served.through._default_manager.filter(
            organisation_id=OuterRef("pk"), populationgroup__code=population
        )
        organisations = organisations.filter(Exists(serves_group))
    if with_reach:
        # The API shows whom each organisation serves: two queries a page, not two a row.
        organisations = organisations.prefetch_related("populations_served", "equity_identities")
    return (
        organisations.select_related("sector", "head_office_province")
        .prefetch_related("provinces_served")
        .annotate(sort_name=_sort_name(language))
        .order_by(*_ordering(sort if sort in SORTS else "name", language))
    )


def organisation_get(*, user: Any, slug: str) -> Organisation:
    """The organisation at this address, as if it did not exist for those who may not see it."""
    organisation = (
        _visible(user)
        .select_related("sector", "head_office_province")
        .prefetch_related("provinces_served", "populations_served", "equity_identities")
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def organisation_with_name(
    *, name: str, province_code: str, exclude_pk: int | None = None
) -> Organisation | None:
    """Another organisation with this name, in either language, in this province."""
    return (
        Organisation.objects.filter(head_office_province_id=province_code)
        .filter(Q(name_en__iexact=name) | Q(name_fr__iexact=name))
        .exclude(pk=exclude_pk or 0)
        .first()
    )


def organisation_attachments(*, organisation: Organisation) -> list[tuple[str, int]]:
    """What other records point to this organisation, by kind, so deleting would lose them.

    Read from the model's relations rather than a fixed list, so data other apps attach
    later (submissions, activities) also counts; one query, a count per relation.
    """
    relations: list[tuple[type[Model], str]] = [
        (relation.related_model, relation.field.name)
        for relation in Organisation._meta.related_objects
        # Every organisation has its pipeline row: only its history is worth keeping.
        if not isinstance(relation.related_model, str) and relation.related_model is not Engagement
    ]
    counts: dict[str, Any] = {}
    for index, (model, name) in enumerate(relations):
        rows = model._default_manager.filter(**{name: OuterRef("pk")})
        per_organisation = rows.order_by().values(name).annotate(n=Count("*")).values("n")
        counts[f"n{index}"] = Coalesce(Subquery(per_organisation[:1]), 0)
    found = Organisation.objects.filter(pk=organisation.pk).annotate(**counts).values(*counts)
    row = found.first() or {}
    kinds: dict[str, int] = {}  # ties from and to it are both "relationships"
    for index, (model, _name) in enumerate(relations):
        if row.get(f"n{index}"):
            kind = str(model._meta.verbose_name_plural)
            kinds[kind] = kinds.get(kind, 0) + row[f"n{index}"]
    return list(kinds.items())


# Stewards first: they are who the page's reader most often looks for.
ROLE_ORDER = (Role.STEWARD, Role.STAFF, Role.GOVERNANCE, Role.RESEARCHER)


def organisation_people(*, organisation: Organisation) -> dict[str, list[Any]]:
    """Who holds a role for the organisation (stewards first), and who is invited to.

    Read through accounts' selectors: the people and their roles are accounts' to tell.
    """
    memberships = list(accounts_selectors.organisation_memberships(organisation=organisation))
    memberships.sort(key=lambda m: ROLE_ORDER.index(Role(m.role)))
    invitations = accounts_selectors.organisation_pending_invitations(organisation=organisation)
    return {"memberships": memberships, "invitations": list(invitations)}


def organisation_list_counts(*, organisations: QuerySet[Organisation]) -> dict[str, int]:
    """How many of a list are private (still active) and archived (one query)."""
    return organisations.order_by().aggregate(
        private=Count("pk", filter=Q(is_public=False, archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )


def organisation_without_steward_count(*, user: Any) -> int:
    return organisation_list(user=user, needs_steward=True).count()


def organisation_figures() -> dict[str, int]:
    """The headline figures of the public site: partners listed and places they reach."""
    public = Organisation.objects.filter(is_public=True, archived_at__isnull=True)
    head_offices = set(public.values_list("head_office_province_id", flat=True))
    served = set(
        Organisation.provinces_served.through.objects.filter(organisation__in=public).values_list(
            "province_id", flat=True
        )
    )
    return {"organisations": public.count(), "provinces": len(head_offices | served)}


def sector_list(*, include_inactive: bool = False) -> QuerySet[Sector]:
    sectors = Sector.objects.order_by("position", "code")
    return sectors if include_inactive else sectors.filter(is_active=True)


def sector_choices(*, keep_pk: int | None = None) -> QuerySet[Sector]:
    """Sectors still in use, plus the one an organisation already has."""
    return Sector.objects.filter(Q(is_active=True) | Q(pk=keep_pk)).order_by("position", "code")


def sector_get(*, code: str) -> Sector | None:
    return sector_list().filter(code=code).first()


def population_choices(*, keep: tuple[int, ...] = ()) -> QuerySet[PopulationGroup]:
    """Population groups in use, plus those an organisation already has."""
    return PopulationGroup.objects.filter(Q(is_active=True) | Q(pk__in=keep)).order_by(
        "position", "code"
    )


def population_by_code(*, codes: list[str]) -> dict[str, PopulationGroup]:
    return {g.code: g for g in PopulationGroup.objects.filter(code__in=codes)}


def equity_by_code(*, codes: list[str]) -> dict[str, EquityIdentity]:
    return {e.code: e for e in EquityIdentity.objects.filter(code__in=codes)}


def equity_choices(*, keep: tuple[int, ...] = ()) -> QuerySet[EquityIdentity]:
    """Equity identities in use, plus those an organisation already has."""
    return EquityIdentity.objects.filter(Q(is_active=True) | Q(pk__in=keep)).order_by(
        "position", "code"
    )


def province_choices() -> QuerySet[Province]:
    return Province.objects.order_by("sgc_code")


def provinces_by_code(*, codes: list[str]) -> dict[str, Province]:
    wanted = {code.upper() for code in codes}
    return {p.code: p for p in Province.objects.filter(code__in=wanted)}


def export_job_get(*, job_id: str) -> Job | None:
    return Job.objects.select_related("created_by").filter(pk=job_id).first()
