"""The network's metrics and layout, computed with NetworkX from plain rows.

Kept pure (no database) so the background task, the tests on hand-computed graphs and
the benchmark all run the same code. Decisions (docs/decisions/0029-networkx.md):

- Degree counts ties: each relationship once; an undirected tie ("partners with")
  counts both ways, as one tie in and one tie out.
- Betweenness ("bridging") and closeness are measured on the undirected network of
  who is tied to whom: a funder bridges the organisations it links whichever way the
  money flows. Exact up to `EXACT_LIMIT` organisations; beyond, estimated from
  `SAMPLE_SIZE` sources drawn with a fixed seed, so a run is reproducible and the
  page says it is an estimate. Both come from one pass of Brandes' algorithm over
  index lists, two and a half times faster than `nx.betweenness_centrality` on 50,000
  ties; property tests hold it to NetworkX's figures (exact, and sampled: the same
  seed draws the same sources).
- Communities: Louvain with a fixed seed, weighted by strength; numbered from 1 by
  size. An organisation without ties belongs to no community (0).
- Layout: a seeded Fruchterman–Reingold over the `LAYOUT_LIMIT` most connected
  organisations (the most a page draws); the others sit beside their neighbours.
"""

import math
import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# NetworkX takes about 0.2 s to import: the functions that compute import it, so a web
# process that only shows stored figures, or a command that does not draw, never loads it.
if TYPE_CHECKING:
    import networkx as nx


EXACT_LIMIT = 1000
SAMPLE_SIZE = 64
LAYOUT_LIMIT = 300
LAYOUT_ITERATIONS = 40
# The share of the height the tied organisations take; the others line up below.
NETWORK_HEIGHT = 0.9
# Louvain stops a level when modularity gains less than this: the default (1e-7) costs
# a quarter more time on 50,000 ties for the same communities, give or take a few.
LOUVAIN_THRESHOLD = 1e-3
SEED = 20_11


@dataclass(frozen=True)
class Node:
    pk: int
    sector: str = ""
    province: str = ""


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    type: str = ""
    directed: bool = True
    strength: int = 2


@dataclass
class NodeResult:
    pk: int
    degree: int = 0
    in_degree: int = 0
    out_degree: int = 0
    betweenness: float = 0.0
    closeness: float = 0.0
    community: int = 0
    x: float = 0.5
    y: float = 0.5


@dataclass
class Analysis:
    nodes: dict[int, NodeResult]
    edge_count: int = 0
    community_count: int = 0
    exact: bool = True
    steps: list[str] = field(default_factory=list)


STEPS = ("ties", "bridging", "closeness", "communities", "layout")


def ties_graph(nodes: Iterable[Node], edges: Iterable[Edge]) -> "nx.Graph[int]":
    """The undirected network of who is tied to whom, weighted by the ties' strength."""
    import networkx as nx

    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(node.pk for node in nodes)
    for edge in edges:
        if edge.source == edge.target or edge.source not in graph or edge.target not in graph:
            continue
        if graph.has_edge(edge.source, edge.target):
            graph[edge.source][edge.target]["weight"] += edge.strength
        else:
            graph.add_edge(edge.source, edge.target, weight=edge.strength)
    return graph


def _degrees(results: dict[int, NodeResult], edges: Iterable[Edge]) -> int:
    count = 0
    for edge in edges:
        source, target = results.get(edge.source), results.get(edge.target)
        if source is None or target is None or edge.source == edge.target:
            continue
        count += 1
        source.degree += 1
        target.degree += 1
        source.out_degree += 1
        target.in_degree += 1
        if not edge.directed:
            source.in_degree += 1
            target.out_degree += 1
    return count


@dataclass
class _Paths:
    """What the breadth-first searches from the sources add up, per node index."""

    between: list[float]
    distance: list[int]
    reached_from: list[int]


def _shortest_paths(adjacency: list[list[int]], sources: list[int]) -> _Paths:
    """Brandes' accumulation from each source, and the distances it walked.

    One search per source gives both measures: the shortest paths through each node
    (betweenness) and the distance from the source to each node (closeness, since
    distances are symmetric on an undirected network). Lists indexed by node number,
    not NetworkX's dictionaries: the searches are the job's heaviest part.
    """
    n = len(adjacency)
    paths = _Paths(between=[0.0] * n, distance=[0] * n, reached_from=[0] * n)
    for source in sources:
        sigma = [0.0] * n
        dist = [-1] * n
        sigma[source], dist[source] = 1.0, 0
        preceding: list[list[int]] = [[] for _ in range(n)]
        order = []
        queue = deque([source])
        while queue:
            v = queue.popleft()
            order.append(v)
            step, paths_to_v = dist[v] + 1, sigma[v]
            for w in adjacency[v]:
                if dist[w] < 0:
                    dist[w] = step
                    queue.append(w)
                if dist[w] == step:
                    sigma[w] += paths_to_v
                    preceding[w].append(v)
        delta = [0.0] * n
        for w in reversed(order):
            share = (1 + delta[w]) / sigma[w]
            for v in preceding[w]:
                delta[v] += sigma[v] * share
            if w != source:
                paths.between[w] += delta[w]
                paths.distance[w] += dist[w]
                paths.reached_from[w] += 1
    return paths


def bridging_and_closeness(
    graph: "nx.Graph[int]", *, sample: int | None, seed: int = SEED
) -> tuple[dict[int, float], dict[int, float]]:
    """Betweenness and closeness, normalised as NetworkX's functions normalise them.

    `sample=None` is exact (every organisation a source). Otherwise `sample` sources are
    drawn with the seed, betweenness is scaled as `betweenness_centrality(k=…)` scales
    it, and closeness estimates each organisation's mean distance from the sources in
    its component; an organisation no source reached (a small component) is measured
    exactly.
    """
    import networkx as nx

    order = list(graph.nodes)
    n = len(order)
    if n < 2:
        return dict.fromkeys(order, 0.0), dict.fromkeys(order, 0.0)
    index = {pk: i for i, pk in enumerate(order)}
    adjacency = [[index[other] for other in graph[pk]] for pk in order]
    rng = random.Random(seed)  # noqa: S311 (a sample, reproducible by design)
    sources = list(range(n)) if sample is None or sample >= n else rng.sample(range(n), sample)
    paths = _shortest_paths(adjacency, sources)
    component = _component_sizes(graph, order, index)
    unreached = [i for i in range(n) if component[i] > 1 and not paths.reached_from[i]]
    for i in unreached:
        reached = nx.single_source_shortest_path_length(graph, order[i])
        paths.distance[i], paths.reached_from[i] = sum(reached.values()), len(reached) - 1
    return _scaled_between(order, paths, sources), {
        pk: (
            paths.reached_from[i] / paths.distance[i] * (component[i] - 1) / (n - 1)
            if paths.distance[i]
            else 0.0
        )
        for i, pk in enumerate(order)
    }


def _component_sizes(graph: "nx.Graph[int]", order: list[int], index: dict[int, int]) -> list[int]:
    import networkx as nx

    sizes = [1] * len(order)
    for members in nx.connected_components(graph):
        for pk in members:
            sizes[index[pk]] = len(members)
    return sizes


def _scaled_between(order: list[int], paths: _Paths, sources: list[int]) -> dict[int, float]:
    """NetworkX's normalisation (`_rescale`, endpoints excluded): by the ordered pairs of
    other organisations, and for a sample, a source has one fewer pair to count."""
    n, k = len(order), len(sources)
    if n <= 2:
        return dict.fromkeys(order, 0.0)
    if k == n:
        return {pk: paths.between[i] / ((n - 1) * (n - 2)) for i, pk in enumerate(order)}
    drawn = set(sources)
    return {
        pk: paths.between[i] / ((k - 1 if i in drawn else k) * (n - 2)) if k > 1 else 0.0
        for i, pk in enumerate(order)
    }


def communities(graph: "nx.Graph[int]", *, seed: int) -> dict[int, int]:
    """Louvain communities numbered 1, 2, … by size (then lowest key); 0 when alone."""
    import networkx as nx

    tied = graph.subgraph([pk for pk, degree in graph.degree if degree > 0])
    if tied.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(
        tied, weight="weight", seed=seed, threshold=LOUVAIN_THRESHOLD
    )
    ordered = sorted(found, key=lambda group: (-len(group), min(group)))
    return {pk: number for number, group in enumerate(ordered, start=1) for pk in group}


def force_layout(
    graph: "nx.Graph[int]", *, limit: int = LAYOUT_LIMIT, seed: int = SEED
) -> dict[int, tuple[float, float]]:
    """Positions in [0, 1]²: a seeded Fruchterman–Reingold over the most connected.

    NetworkX's own layout needs NumPy; a few hundred nodes do not, and the others are
    placed beside the neighbours already placed, so every organisation a filter shows
    has a position. Organisations without ties (and any still unplaced) line up along
    the bottom edge, below the network, instead of pushing it into a corner.
    """
    rng = random.Random(seed)  # noqa: S311 (a layout, reproducible by design)
    by_ties = sorted(graph.nodes, key=lambda pk: (-graph.degree(pk), pk))
    tied = [pk for pk in by_ties if graph.degree(pk) > 0]
    drawn = tied[:limit]
    laid = _fruchterman_reingold(graph.subgraph(drawn), drawn, rng)
    positions = {pk: (x, y * NETWORK_HEIGHT) for pk, (x, y) in laid.items()}
    rest = tied[limit:]
    for _round in range(3):
        waiting = []
        for pk in rest:
            around = [positions[other] for other in graph[pk] if other in positions]
            if not around:
                waiting.append(pk)
                continue
            x = sum(p[0] for p in around) / len(around) + rng.uniform(-0.03, 0.03)
            y = sum(p[1] for p in around) / len(around) + rng.uniform(-0.03, 0.03)
            positions[pk] = (min(1.0, max(0.0, x)), min(NETWORK_HEIGHT, max(0.0, y)))
        rest = waiting
    apart = rest + [pk for pk in by_ties if graph.degree(pk) == 0]
    for index, pk in enumerate(apart):
        positions[pk] = ((index + 0.5) / len(apart), 1.0)
    return positions


def _fruchterman_reingold(
    graph: "nx.Graph[int]", order: list[int], rng: random.Random
) -> dict[int, tuple[float, float]]:
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.5, 0.5)}
    index = {pk: i for i, pk in enumerate(order)}
    xs = [rng.random() for _ in order]
    ys = [rng.random() for _ in order]
    links = [(index[u], index[v]) for u, v in graph.edges]
    k2 = 1.0 / n
    k = math.sqrt(k2)
    temperature = 0.1
    for step in range(LAYOUT_ITERATIONS):
        dx = [0.0] * n
        dy = [0.0] * n
        for a in range(n):
            xa, ya = xs[a], ys[a]
            for b in range(a + 1, n):
                ex, ey = xa - xs[b], ya - ys[b]
                force = k2 / max(ex * ex + ey * ey, 1e-9)
                dx[a] += ex * force
                dy[a] += ey * force
                dx[b] -= ex * force
                dy[b] -= ey * force
        for a, b in links:
            ex, ey = xs[a] - xs[b], ys[a] - ys[b]
            pull = math.sqrt(ex * ex + ey * ey) / k
            dx[a] -= ex * pull
            dy[a] -= ey * pull
            dx[b] += ex * pull
            dy[b] += ey * pull
        limit = temperature * (1 - step / LAYOUT_ITERATIONS)
        for a in range(n):
            length = math.sqrt(dx[a] * dx[a] + dy[a] * dy[a]) or 1.0
            move = min(length, limit) / length
            xs[a] += dx[a] * move
            ys[a] += dy[a] * move
    return _normalise(order, xs, ys)


def _normalise(
    order: list[int], xs: list[float], ys: list[float]
) -> dict[int, tuple[float, float]]:
    low_x, high_x, low_y, high_y = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = (high_x - low_x) or 1.0, (high_y - low_y) or 1.0
    return {pk: ((xs[i] - low_x) / span_x, (ys[i] - low_y) / span_y) for i, pk in enumerate(order)}


def analyse(
    nodes: list[Node],
    edges: list[Edge],
    *,
    progress: Callable[[str], None] | None = None,
    exact_limit: int = EXACT_LIMIT,
    sample_size: int = SAMPLE_SIZE,
    seed: int = SEED,
) -> Analysis:
    """Every metric for every organisation; `progress` hears each step's name as it ends.

    Everything is computed from these nodes and edges alone: the public part of the
    network gets its own communities and layout, so that neither a cluster nor a
    position betrays a tie to an organisation the public does not see.
    """
    report = progress or (lambda step: None)
    results = {node.pk: NodeResult(pk=node.pk) for node in nodes}
    edge_count = _degrees(results, edges)
    graph = ties_graph(nodes, edges)
    report(STEPS[0])
    exact = graph.number_of_nodes() <= exact_limit
    bridging, near = bridging_and_closeness(graph, sample=None if exact else sample_size, seed=seed)
    report(STEPS[1])
    report(STEPS[2])
    groups = communities(graph, seed=seed)
    report(STEPS[3])
    positions = force_layout(graph, seed=seed)
    report(STEPS[4])
    for pk, result in results.items():
        result.betweenness = float(bridging.get(pk, 0.0))
        result.closeness = float(near.get(pk, 0.0))
        result.community = groups.get(pk, 0)
        result.x, result.y = positions.get(pk, (0.5, 0.5))
    return Analysis(
        nodes=results,
        edge_count=edge_count,
        community_count=len(set(groups.values())),
        exact=exact,
        steps=list(STEPS),
    )
