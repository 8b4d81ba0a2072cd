"""Every read about the network: the rows the analysis needs, its freshness, its results.

The analysis is computed in the background (`services.network`); pages, the API and
the exports read its stored rows, filtered to what the reader may see: the public sees
only public, active organisations and the ties between them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from collectif.accounts.permissions import is_backbone_staff
from collectif.core.actors import SystemActor
from collectif.core.models import Job
from collectif.ecosystem.domain.network import Edge, Node
from collectif.ecosystem.models import (
    NetworkAnalysis,
    NodeMetric,
    Organisation,
    Relationship,
    RelationshipType,
    Scope,
)

ANALYSIS_JOB_KIND = "ecosystem.network_analysis"
# Each run stores two analyses: the whole network (staff) and the part the public sees,
# so that public figures never count ties to organisations the public cannot see.
SCOPE_ALL = Scope.ALL.value
SCOPE_PUBLIC = Scope.PUBLIC.value


def _current_relationships() -> QuerySet[Relationship]:
    """Ties still in force between organisations that are not archived."""
    today = timezone.localdate()
    return Relationship.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        source__archived_at__isnull=True,
        target__archived_at__isnull=True,
    )


def network_rows(*, public_only: bool = False) -> tuple[list[Node], list[Edge]]:
    """The organisations and ties as plain rows, for the metrics (two queries)."""
    organisations = Organisation.objects.filter(archived_at__isnull=True)
    relationships = _current_relationships()
    if public_only:
        organisations = organisations.filter(is_public=True)
        relationships = relationships.filter(source__is_public=True, target__is_public=True)
    nodes = [
        Node(pk=pk, sector=sector or "", province=province or "")
        for pk, sector, province in organisations.values_list(
            "pk", "sector__code", "head_office_province_id"
        )
    ]
    edges = [
        Edge(source=s, target=t, type=code, directed=directed, strength=strength)
        for s, t, code, directed, strength in relationships.values_list(
            "source_id", "target_id", "type__code", "type__is_directed", "strength"
        )
    ]
    return nodes, edges


def relationships_version() -> str:
    """A fingerprint of the relationships: count, latest primary key, latest change.

    Any creation, edit or deletion changes it, so a page can tell that the stored
    analysis is out of date (one aggregate query).
    """
    figures = Relationship.objects.aggregate(
        count=Count("pk"), last_pk=Max("pk"), changed=Max("updated_at")
    )
    changed = figures["changed"].isoformat() if figures["changed"] else "-"
    return f"{figures['count']}:{figures['last_pk'] or 0}:{changed}"


def changes_since(*, version: str) -> int:
    """How many relationships were added, changed or deleted after that fingerprint."""
    try:
        count_text, last_pk_text, changed_text = version.split(":", 2)
        old_count, old_last_pk = int(count_text), int(last_pk_text)
        changed = None if changed_text == "-" else datetime.fromisoformat(changed_text)
    except ValueError:
        return 0
    since = Relationship.objects.aggregate(
        now=Count("pk"),
        added=Count("pk", filter=Q(pk__gt=old_last_pk)),
        touched=Count("pk", filter=Q(updated_at__gt=changed) if changed else Q(pk__gt=0)),
    )
    deleted = max(0, int(old_count + since["added"] - since["now"]))
    return int(since["touched"]) + deleted


def analysis_job_pending() -> Job | None:
    """The analysis job waiting for a worker or running, if any."""
    return (
        Job.objects.filter(
            kind=ANALYSIS_JOB_KIND, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        )
        .order_by("-created_at")
        .first()
    )


def analysis_job_get(*, job_id: str) -> Job | None:
    return Job.objects.filter(pk=job_id, kind=ANALYSIS_JOB_KIND).first()


def scope_for(user: Any) -> str:
    """Which stored analysis a reader gets: staff the whole network, others its public part."""
    if isinstance(user, SystemActor) or is_backbone_staff(user):
        return SCOPE_ALL
    return SCOPE_PUBLIC


@dataclass(frozen=True)
class Freshness:
    analysis: NetworkAnalysis | None
    changes: int
    pending: Job | None


def latest_analysis(*, scope: str) -> NetworkAnalysis | None:
    """The most recent finished analysis of that scope."""
    return (
        NetworkAnalysis.objects.filter(finished_at__isnull=False, scope=scope)
        .order_by("-finished_at", "-pk")
        .first()
    )


def analysis_freshness(*, scope: str) -> Freshness:
    """The latest analysis, how many changes it has not seen, and any job on its way."""
    analysis = latest_analysis(scope=scope)
    changes = 0
    if analysis is not None:
        version = analysis.relationships_version
        if version != relationships_version():
            changes = max(1, changes_since(version=version))
    return Freshness(analysis=analysis, changes=changes, pending=analysis_job_pending())


def node_metric_rows(*, analysis: NetworkAnalysis) -> QuerySet[NodeMetric]:
    return NodeMetric.objects.filter(analysis=analysis)


def analysis_ids_latest(*, scope: str, count: int) -> list[int]:
    return list(
        NetworkAnalysis.objects.filter(scope=scope)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:count]
    )


# The map draws at most this many organisations, the most connected; metrics cover all.
DRAW_LIMIT = 200
# And at most this many ties between them, the strongest: more lines are unreadable, and
# every one weighs on the page.
EDGE_LIMIT = 800
LIST_LENGTH = 10
METRIC_SORTS = ("degree", "betweenness", "closeness", "community", "name")


@dataclass(frozen=True)
class NetworkFilters:
    province: str = ""
    sector: str = ""
    type: str = ""


def visible_metrics(
    *, user: Any, analysis: NetworkAnalysis | None, filters: NetworkFilters
) -> QuerySet[NodeMetric]:
    """The analysis's organisations the reader may see, filtered; the public sees only
    public, active ones (as they are now, not as they were when it was computed)."""
    if analysis is None:
        return NodeMetric.objects.none()
    rows = NodeMetric.objects.filter(analysis=analysis).select_related(
        "organisation__sector", "organisation__head_office_province"
    )
    if scope_for(user) == SCOPE_PUBLIC:
        rows = rows.filter(organisation__is_public=True, organisation__archived_at__isnull=True)
    if filters.province:
        rows = rows.filter(organisation__head_office_province_id=filters.province.upper())
    if filters.sector:
        rows = rows.filter(organisation__sector__code=filters.sector)
    return rows


def sorted_metrics(rows: QuerySet[NodeMetric], *, sort: str) -> QuerySet[NodeMetric]:
    """Largest first for a metric; a leading "-" reverses; names alphabetically."""
    key = sort.lstrip("-")
    if key not in METRIC_SORTS:
        key = "degree"
    if key == "name":
        order = ["organisation__name", "pk"]
        return rows.order_by(*(["-organisation__name", "-pk"] if sort.startswith("-") else order))
    if sort.startswith("-"):
        return rows.order_by(key, "organisation__name", "pk")
    return rows.order_by(f"-{key}", "organisation__name", "pk")


def drawn_metrics(rows: QuerySet[NodeMetric]) -> list[NodeMetric]:
    """The most connected organisations, as many as the map draws."""
    return list(rows.order_by("-degree", "-betweenness", "pk")[:DRAW_LIMIT])


def drawn_edges(*, organisation_ids: list[int], type_code: str = "") -> list[dict[str, Any]]:
    """The current ties between the drawn organisations, of one type if asked."""
    rows = _current_relationships().filter(
        source_id__in=organisation_ids, target_id__in=organisation_ids
    )
    if type_code:
        rows = rows.filter(type__code=type_code)
    return [
        dict(row)
        for row in rows.order_by("-strength", "pk").values(
            "source_id", "target_id", "type__code", "type__is_directed", "strength"
        )[:EDGE_LIMIT]
    ]


def most_bridging(rows: QuerySet[NodeMetric]) -> list[NodeMetric]:
    return list(rows.filter(betweenness__gt=0).order_by("-betweenness", "pk")[:LIST_LENGTH])


def isolated(rows: QuerySet[NodeMetric]) -> tuple[list[NodeMetric], int]:
    """The organisations without a tie (the first ones by name) and how many there are."""
    alone = rows.filter(degree=0)
    return list(alone.order_by("organisation__name", "pk")[:LIST_LENGTH]), alone.count()


def export_rows(
    *, user: Any, filters: NetworkFilters
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The visible network for a file: organisations with their metrics, and their ties.

    Ties come from the relationships as they are now, between the organisations shown,
    of one type when the filter asks (three queries, whatever the size).
    """
    analysis = latest_analysis(scope=scope_for(user))
    if analysis is None:
        return [], []
    metrics = visible_metrics(user=user, analysis=analysis, filters=filters).order_by("pk")
    nodes = [
        {
            "id": row.organisation.slug,
            "name": row.organisation.name,
            "sector": row.organisation.sector.name,
            "province": row.organisation.head_office_province.name,
            "degree": row.degree,
            "in_degree": row.in_degree,
            "out_degree": row.out_degree,
            "betweenness": row.betweenness,
            "closeness": row.closeness,
            "community": row.community,
        }
        for row in metrics
    ]
    slugs = {row.organisation_id: row.organisation.slug for row in metrics}
    ties = _current_relationships()
    if filters.type:
        ties = ties.filter(type__code=filters.type)
    edges = [
        {"source": slugs[s], "target": slugs[t], "type": code, "directed": d, "strength": w}
        for s, t, code, d, w in ties.order_by("pk").values_list(
            "source_id", "target_id", "type__code", "type__is_directed", "strength"
        )
        if s in slugs and t in slugs
    ]
    return nodes, edges


def relationship_type_choices() -> QuerySet[RelationshipType]:
    return RelationshipType.objects.filter(is_active=True).order_by("position", "code")
