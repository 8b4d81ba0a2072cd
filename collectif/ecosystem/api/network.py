"""The network's metrics over the API: anyone reads its public part, staff the whole.

Figures come from the latest stored analysis (computed in the background); the summary
says when it was computed and how many relationship changes it has not seen yet.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from collectif.accounts.api_auth import optional_auth
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.ecosystem.domain.network import EXACT_LIMIT
from collectif.ecosystem.models import NodeMetric
from collectif.ecosystem.selectors import network as selectors

router = Router(tags=["network"], auth=optional_auth)


class NetworkSummaryOut(Schema):
    computed_at: datetime | None = Field(
        description="When the metrics were computed; null if never"
    )
    organisations: int
    ties: int
    communities: int
    estimated: bool = Field(
        description="Bridging and closeness are estimated from a fixed sample (large networks)"
    )
    changes_since: int | None = Field(
        description="Staff only (null otherwise): relationship changes not seen yet, "
        "private organisations' included"
    )
    computing: bool = Field(description="A new computation is queued or running")


class NodeMetricOut(Schema):
    organisation: str = Field(description="The organisation's short name (slug)")
    name: str
    sector: str = Field(description="Sector code")
    province: str = Field(description="Head office province or territory code")
    degree: int = Field(description="Ties, each relationship once")
    in_degree: int
    out_degree: int
    betweenness: float = Field(description="Bridging: normalised betweenness centrality")
    closeness: float
    community: int = Field(description="Louvain community, numbered by size; 0 without ties")


class NodeMetricPage(Page[NodeMetricOut]):
    pass


class NodeMetricFilters(PageQuery):
    province: str = Field("", max_length=2)
    sector: str = Field("", max_length=50)
    sort: str = Field(
        "degree", description="degree, betweenness, closeness, community or name; - reverses"
    )


@router.get("", response=responses(NetworkSummaryOut), summary="The network's figures")
def network_summary(request: HttpRequest) -> NetworkSummaryOut:
    fresh = selectors.analysis_freshness(scope=selectors.scope_for(request.user))
    analysis = fresh.analysis
    return NetworkSummaryOut(
        computed_at=analysis.finished_at if analysis else None,
        organisations=analysis.node_count if analysis else 0,
        ties=analysis.edge_count if analysis else 0,
        communities=analysis.community_count if analysis else 0,
        estimated=bool(analysis and analysis.node_count > EXACT_LIMIT),
        changes_since=fresh.changes if request.user.has_perm("ecosystem.compute_network") else None,
        computing=fresh.pending is not None,
    )


def _out(row: NodeMetric) -> NodeMetricOut:
    return NodeMetricOut(
        organisation=row.organisation.slug,
        name=row.organisation.name,
        sector=row.organisation.sector.code,
        province=row.organisation.head_office_province_id,
        degree=row.degree,
        in_degree=row.in_degree,
        out_degree=row.out_degree,
        betweenness=row.betweenness,
        closeness=row.closeness,
        community=row.community,
    )


@router.get("/nodes", response=responses(NodeMetricPage), summary="Each organisation's metrics")
def list_node_metrics(request: HttpRequest, filters: Query[NodeMetricFilters]) -> NodeMetricPage:
    analysis = selectors.latest_analysis(scope=selectors.scope_for(request.user))
    rows = selectors.sorted_metrics(
        selectors.visible_metrics(
            user=request.user,
            analysis=analysis,
            filters=selectors.NetworkFilters(province=filters.province, sector=filters.sector),
        ),
        sort=filters.sort,
    )
    return paginate(request, rows, filters, out=_out, page=NodeMetricPage)
