"""Every read about relationships and their types, with who may see which ties.

A tie tells something about both organisations it joins, so the public (and anyone who
is not backbone staff) sees a relationship only when both ends are public and active;
staff see every one.
"""

from typing import Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils.translation import get_language

from collectif.accounts.permissions import is_backbone_staff
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType

RELATED = (
    "source__head_office_province",
    "source__sector",
    "target__head_office_province",
    "target__sector",
    "type",
)


SORTS = ("from", "-from", "type", "-type", "to", "-to", "since", "-since")


def _end_name(end: str) -> Any:
    """An end's name as the reader sees it: their language, else the other one."""
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    other = "en" if language == "fr" else "fr"
    text: CharField[str, str] = CharField()
    return Lower(
        Coalesce(
            NullIf(F(f"{end}__name_{language}"), Value(""), output_field=text),
            NullIf(F(f"{end}__name_{other}"), Value(""), output_field=text),
            Value(""),
            output_field=text,
        )
    )


def _ordering(sort: str) -> list[Any]:
    """The columns to sort by, then the rest of the natural order, so pages are stable."""
    key = sort.lstrip("-")
    column = {
        "from": F("from_name"),
        "type": F("type__position"),
        "to": F("to_name"),
        "since": F("started_on"),
    }.get(key, F("from_name"))
    first = column.desc(nulls_last=True) if sort.startswith("-") else column.asc(nulls_last=True)
    return [first, F("from_name").asc(), F("type__position").asc(), F("to_name").asc(), "pk"]


def _both_ends_public() -> Q:
    return Q(
        source__is_public=True,
        source__archived_at__isnull=True,
        target__is_public=True,
        target__archived_at__isnull=True,
    )


def _visible(user: Any) -> QuerySet[Relationship]:
    relationships = Relationship.objects.all()
    if not is_backbone_staff(user):
        relationships = relationships.filter(_both_ends_public())
    return relationships


def relationship_list(
    *,
    user: Any,
    organisation: str = "",
    type: str = "",
    province: str = "",
    sector: str = "",
    sort: str = "from",
) -> QuerySet[Relationship]:
    """The ties the reader may see, filtered; an end in the province or sector is enough.

    Filters are EXISTS-free plain joins on the two ends, so the list stays one query
    whatever its length, and the page's count one more.
    """
    relationships = _visible(user)
    if organisation:
        relationships = relationships.filter(
            Q(source__slug=organisation) | Q(target__slug=organisation)
        )
    if type:
        relationships = relationships.filter(type__code=type)
    if province:
        code = province.upper()
        relationships = relationships.filter(
            Q(source__head_office_province_id=code) | Q(target__head_office_province_id=code)
        )
    if sector:
        relationships = relationships.filter(
            Q(source__sector__code=sector) | Q(target__sector__code=sector)
        )
    return (
        relationships.select_related(*RELATED)
        .annotate(from_name=_end_name("source"), to_name=_end_name("target"))
        .order_by(*_ordering(sort if sort in SORTS else "from"))
    )


def relationship_get(*, user: Any, pk: int) -> Relationship:
    """One tie, as if it did not exist for a reader who may not see one of its ends."""
    relationship = _visible(user).select_related(*RELATED).filter(pk=pk).first()
    if relationship is None:
        raise Http404
    return relationship


def organisation_ties(*, user: Any, organisation: Organisation) -> dict[str, list[Relationship]]:
    """An organisation's ties going out and coming in, in one query.

    An undirected tie ("partners with") has no direction: it is listed with the ties
    going out, whichever end the organisation was recorded as.
    """
    ties = list(
        _visible(user)
        .filter(Q(source=organisation) | Q(target=organisation))
        .select_related(*RELATED)
        .order_by("type__position", "source__name", "target__name", "pk")
    )
    out = [t for t in ties if t.source_id == organisation.pk or not t.type.is_directed]
    incoming = [t for t in ties if t.target_id == organisation.pk and t.type.is_directed]
    return {"out": out, "in": incoming}


def relationship_duplicate(
    *,
    source: Organisation,
    target: Organisation,
    type: RelationshipType,
    exclude_pk: int | None = None,
) -> Relationship | None:
    """The tie this one would repeat: same ends and type (either way round if undirected)."""
    same = Q(source=source, target=target)
    if not type.is_directed:
        same |= Q(source=target, target=source)
    return (
        Relationship.objects.filter(same, type=type)
        .exclude(pk=exclude_pk or 0)
        .select_related("source", "target", "type")
        .first()
    )


def relationships_between(*, source_ids: set[int]) -> QuerySet[Relationship]:
    """Every tie leaving or reaching these organisations, for an import to compare with."""
    return Relationship.objects.filter(Q(source_id__in=source_ids) | Q(target_id__in=source_ids))


def relationship_type_list(*, include_inactive: bool = False) -> QuerySet[RelationshipType]:
    """The types in their order, each with how many ties use it (for the staff's page)."""
    types = RelationshipType.objects.annotate(uses=Count("relationships")).order_by(
        "position", "code"
    )
    return types if include_inactive else types.filter(is_active=True)


def relationship_type_choices(*, keep_pk: int | None = None) -> QuerySet[RelationshipType]:
    """Types in use, plus the one a tie already has (a retired type stays on its ties)."""
    return RelationshipType.objects.filter(Q(is_active=True) | Q(pk=keep_pk)).order_by(
        "position", "code"
    )


def relationship_type_get(*, code: str, include_inactive: bool = True) -> RelationshipType | None:
    types = RelationshipType.objects.filter(code=code)
    return (types if include_inactive else types.filter(is_active=True)).first()


def relationship_type_in_use(*, relationship_type: RelationshipType) -> bool:
    return Relationship.objects.filter(type=relationship_type).exists()


def relationship_type_reversed_pairs(*, relationship_type: RelationshipType) -> bool:
    """Whether some pair is tied both ways by this type: making it undirected would
    turn them into duplicates."""
    reverse = Relationship.objects.filter(
        type=relationship_type, source=OuterRef("target"), target=OuterRef("source")
    )
    return Relationship.objects.filter(type=relationship_type).filter(Exists(reverse)).exists()


def organisation_choices(*, keep_pks: tuple[int, ...] = ()) -> QuerySet[Organisation]:
    """Active organisations (and the ends a tie already has) for a form's lists."""
    return (
        Organisation.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=keep_pks))
        .select_related("head_office_province")
        .order_by("name", "pk")
    )


def organisation_for_slug(*, slug: str) -> Organisation | None:
    """Any organisation at this address (staff's API: archived ones are refused later)."""
    return Organisation.objects.filter(slug=slug).first()


def organisation_index() -> list[dict[str, Any]]:
    """Every organisation's names and head office, for an import to match names against."""
    rows = Organisation.objects.values(
        "pk", "name_en", "name_fr", "head_office_province_id", "archived_at"
    ).order_by("pk")
    return [dict(row) for row in rows]


def relationship_type_index() -> list[RelationshipType]:
    return list(RelationshipType.objects.order_by("position", "code"))
