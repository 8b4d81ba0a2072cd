"""The network metrics against small graphs computed by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectif.ecosystem.domain.network import (
    Edge,
    Node,
    analyse,
    bridging_and_closeness,
    ties_graph,
)


def _nodes(count: int) -> list[Node]:
    return [Node(pk=pk) for pk in range(1, count + 1)]


def test_a_path_bridges_through_its_middle() -> None:
    # 1 - 2 - 3: only 2 lies between others (the pair 1, 3: normalised 1 of 1 pair).
    result = analyse(_nodes(3), [Edge(1, 2), Edge(2, 3)])
    assert [result.nodes[pk].betweenness for pk in (1, 2, 3)] == [0.0, 1.0, 0.0]
    # Distances from 1: 1 and 2, mean 1.5; from 2: 1 and 1.
    assert result.nodes[1].closeness == pytest.approx(2 / 3)
    assert result.nodes[2].closeness == pytest.approx(1.0)
    assert [result.nodes[pk].degree for pk in (1, 2, 3)] == [1, 2, 1]
    assert result.exact


def test_a_star_counts_ties_in_and_out() -> None:
    # The hub 1 funds 2, 3 and 4; 5 partners with it (both ways).
    edges = [Edge(1, 2), Edge(1, 3), Edge(1, 4), Edge(5, 1, directed=False)]
    result = analyse(_nodes(5), edges)
    hub = result.nodes[1]
    assert (hub.degree, hub.out_degree, hub.in_degree) == (4, 4, 1)
    assert (result.nodes[5].in_degree, result.nodes[5].out_degree) == (1, 1)
    assert (result.nodes[2].in_degree, result.nodes[2].out_degree) == (1, 0)
    # Every one of the 6 pairs of leaves goes through the hub.
    assert hub.betweenness == pytest.approx(1.0)
    assert hub.closeness == pytest.approx(1.0)
    assert result.nodes[2].closeness == pytest.approx(4 / 7)


def test_two_triangles_joined_by_a_bridge_make_two_communities() -> None:
    edges = [Edge(1, 2), Edge(2, 3), Edge(3, 1), Edge(4, 5), Edge(5, 6), Edge(6, 4)]
    edges.append(Edge(3, 4, type="partners", directed=False))
    result = analyse(_nodes(6), edges)
    # 3 lies between {1, 2} and {4, 5, 6}: 6 pairs out of 10.
    assert result.nodes[3].betweenness == pytest.approx(0.6)
    assert result.nodes[4].betweenness == pytest.approx(0.6)
    assert result.nodes[1].betweenness == 0.0
    assert result.community_count == 2
    groups = {pk: result.nodes[pk].community for pk in range(1, 7)}
    assert groups[1] == groups[2] == groups[3] != groups[4] == groups[5] == groups[6]
    assert result.edge_count == 7


def test_an_organisation_without_ties_has_no_community_and_zero_metrics() -> None:
    result = analyse(_nodes(3), [Edge(1, 2)])
    alone = result.nodes[3]
    assert (alone.degree, alone.betweenness, alone.closeness, alone.community) == (0, 0, 0, 0)
    assert result.community_count == 1


def test_self_loops_and_unknown_organisations_are_ignored() -> None:
    result = analyse(_nodes(2), [Edge(1, 1), Edge(1, 99), Edge(1, 2)])
    assert result.edge_count == 1
    assert result.nodes[1].degree == 1


def test_large_networks_are_estimated_reproducibly() -> None:
    nodes = _nodes(40)
    edges = [Edge(pk, pk + 1) for pk in range(1, 40)]
    first = analyse(nodes, edges, exact_limit=10, sample_size=8)
    second = analyse(nodes, edges, exact_limit=10, sample_size=8)
    assert not first.exact
    assert [n.betweenness for n in first.nodes.values()] == [
        n.betweenness for n in second.nodes.values()
    ]
    assert [(n.x, n.y) for n in first.nodes.values()] == [(n.x, n.y) for n in second.nodes.values()]
    # The middle of a path still bridges most.
    assert max(first.nodes.values(), key=lambda n: n.betweenness).pk in range(15, 27)


def test_every_organisation_gets_a_position_inside_the_frame() -> None:
    nodes = _nodes(12)
    edges = [Edge(1, pk) for pk in range(2, 8)] + [Edge(9, 10)]
    result = analyse(nodes, edges)
    for node in result.nodes.values():
        assert 0.0 <= node.x <= 1.0 and 0.0 <= node.y <= 1.0
    assert len({(n.x, n.y) for n in result.nodes.values()}) == 12


pairs = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 12)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_exact_bridging_and_closeness_are_networkx_own(edges: list[tuple[int, int]]) -> None:
    import networkx as nx

    graph = ties_graph(_nodes(12), [Edge(s, t) for s, t in edges])
    bridging, near = bridging_and_closeness(graph, sample=None)
    assert bridging == pytest.approx(nx.betweenness_centrality(graph))
    assert near == pytest.approx(nx.closeness_centrality(graph))


@settings(max_examples=40, deadline=None)
@given(pairs, st.integers(2, 11))
def test_sampled_bridging_is_networkx_estimate(edges: list[tuple[int, int]], sample: int) -> None:
    """Drawn with the same seed from the same order, the sources are NetworkX's own, so
    the estimates must match organisation by organisation."""
    import networkx as nx

    graph = ties_graph(_nodes(12), [Edge(s, t) for s, t in edges])
    ours, _near = bridging_and_closeness(graph, sample=sample, seed=3)
    assert ours == pytest.approx(nx.betweenness_centrality(graph, k=sample, seed=3))


@settings(max_examples=40, deadline=None)
@given(pairs)
def test_degrees_add_up_to_twice_the_ties(edges: list[tuple[int, int]]) -> None:
    result = analyse(_nodes(12), [Edge(s, t) for s, t in edges])
    ties = sum(1 for s, t in edges if s != t)
    assert result.edge_count == ties
    assert sum(n.degree for n in result.nodes.values()) == 2 * ties
    assert sum(n.in_degree for n in result.nodes.values()) == ties
