"""Every write about the network map: asking for its metrics, and keeping them.

Betweenness and communities take seconds on thousands of organisations, so they are
computed by a background job (`tasks.network_analyse`) and stored; a relationship
write asks for a new run through `network_analysis_request`, which queues at most one.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from collectif.core.actors import Actor, require
from collectif.core.models import Job
from collectif.core.services import audit_record, job_create, job_enqueue
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.domain.network import Analysis, analyse
from collectif.ecosystem.models import NetworkAnalysis, NodeMetric
from collectif.ecosystem.selectors import network as selectors

BATCH_SIZE = 1000


def network_analysis_request(*, actor: Actor, language: str = "") -> Job | None:
    """Queue the computation of the network's metrics; None when one is already on its way.

    A queued job reads the relationships only when it starts, so it will see this
    change; a running one checks the fingerprint when it ends and asks again if the
    network moved meanwhile (`network_analysis_save`). Relationship services call this
    with SYSTEM after every write; staff press "recompute".
    """
    from collectif.ecosystem.tasks import network_analyse

    require(actor, "ecosystem.compute_network")
    with transaction.atomic():
        if selectors.analysis_job_pending() is not None:
            return None
        job = job_create(
            kind=selectors.ANALYSIS_JOB_KIND,
            actor=actor,
            # The language of the progress messages on the job's page.
            params={"language": language or settings.LANGUAGE_CODE},
        )
        audit_record(actor=actor, action=EcosystemAction.NETWORK_ANALYSIS_REQUEST, target=job)
        job_enqueue(job, network_analyse)
    return job


@transaction.atomic
def network_analysis_save(
    *, actor: Actor, job: Job | None, scope: str, version: str, analysis: Analysis
) -> NetworkAnalysis:
    """Keep one computed analysis and its rows (one insert per thousand organisations)."""
    require(actor, "ecosystem.compute_network")
    stored = NetworkAnalysis.objects.create(
        job=job,
        finished_at=timezone.now(),
        scope=scope,
        relationships_version=version,
        node_count=len(analysis.nodes),
        edge_count=analysis.edge_count,
        community_count=analysis.community_count,
    )
    NodeMetric.objects.bulk_create(
        (
            NodeMetric(
                analysis=stored,
                organisation_id=node.pk,
                degree=node.degree,
                in_degree=node.in_degree,
                out_degree=node.out_degree,
                betweenness=node.betweenness,
                closeness=node.closeness,
                community=node.community,
                x=node.x,
                y=node.y,
            )
            for node in analysis.nodes.values()
        ),
        batch_size=BATCH_SIZE,
    )
    return stored


def network_analysis_run(
    *, actor: Actor, job: Job | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Compute and keep both analyses now: the whole network (staff) and its public part.

    The background task's work; the demo loader calls it directly. The public part is
    analysed on its own (ties between public, active organisations only, its own
    communities and layout), so that it reveals nothing of the others. Returns the
    stored analyses' ids by scope.
    """
    require(actor, "ecosystem.compute_network")
    version = selectors.relationships_version()
    stored: dict[str, int] = {}
    for scope in (selectors.SCOPE_ALL, selectors.SCOPE_PUBLIC):
        nodes, edges = selectors.network_rows(public_only=scope == selectors.SCOPE_PUBLIC)
        analysis = analyse(nodes, edges, progress=progress)
        saved = network_analysis_save(
            actor=actor, job=job, scope=scope, version=version, analysis=analysis
        )
        stored[scope] = saved.pk
    network_analysis_prune(actor=actor)
    return stored


@transaction.atomic
def network_analysis_prune(*, actor: Actor, keep: int = 2) -> int:
    """Delete all but the latest `keep` analyses of each scope; say how many went.

    Every relationship write leads to a new analysis: the old ones are of no use and
    their rows would grow the table by thousands each time.
    """
    require(actor, "ecosystem.compute_network")
    keep_ids: list[int] = []
    for scope in (selectors.SCOPE_ALL, selectors.SCOPE_PUBLIC):
        keep_ids += selectors.analysis_ids_latest(scope=scope, count=keep)
    deleted, _rows = NetworkAnalysis.objects.exclude(pk__in=keep_ids).delete()
    return deleted
