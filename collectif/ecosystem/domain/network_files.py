"""The network as GraphML or GEXF files that Gephi, Kumu and NetworkX read.

One node per organisation (its short name as id) with its name, sector, province and
metrics; one edge per relationship with its type (as "relationship": GEXF keeps "type" for
directed or not), whether it goes both ways, and its strength. A multigraph, since
two organisations may be tied in several ways.
"""

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

# NetworkX takes about 0.2 s to import: the functions that compute import it, so a web
# process that only shows stored figures, or a command that does not draw, never loads it.
if TYPE_CHECKING:
    import networkx as nx


FORMATS = ("graphml", "gexf")
CONTENT_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
NODE_ATTRIBUTES = (
    "name",
    "sector",
    "province",
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "community",
)


def export_graph(
    nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]
) -> "nx.MultiDiGraph[str]":
    """Nodes carry an "id" and `NODE_ATTRIBUTES`; edges "source", "target" (node ids),
    "type" (a code), "directed" and "strength"."""
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node["id"], **{key: node[key] for key in NODE_ATTRIBUTES})
    for edge in edges:
        graph.add_edge(
            edge["source"],
            edge["target"],
            key=edge["type"],
            relationship=edge["type"],
            directed=bool(edge["directed"]),
            strength=int(edge["strength"]),
        )
    return graph


def write(graph: "nx.MultiDiGraph[str]", *, file_format: str) -> bytes:
    """The file's bytes (UTF-8 XML)."""
    import networkx as nx

    buffer = io.BytesIO()
    if file_format == "gexf":
        nx.write_gexf(graph, buffer)
    else:
        nx.write_graphml(graph, buffer)
    return buffer.getvalue()
