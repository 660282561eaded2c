"""Move a whole graph from one store to another (embedded ⇄ Neo4j) through the port."""

from __future__ import annotations

from chainmap.graph import NODES, RELS
from chainmap.store.base import GraphStore
from chainmap.store.sync import Changes, EdgeWrite, NodeWrite, ProgressFn, WritePlan, apply_plan


def copy_graph(
    source: GraphStore, target: GraphStore, progress: ProgressFn | None = None
) -> Changes:
    """Make `target` hold everything `source` holds (nodes by id, each node's relationships
    exactly as in source), in one transaction. Nodes only `target` has are left alone."""
    plan = WritePlan()
    ids_by_label: dict[str, list[str]] = {}
    for node in NODES.values():
        rows = source.query("nodes_scan", label=node.label)
        ids_by_label[node.label] = [row["id"] for row in rows]
        columns = {"id": ids_by_label[node.label]}
        for prop in node.property_names:
            columns[prop] = [row.get(prop) for row in rows]
        plan.nodes.append(NodeWrite(node, columns))
    for rel in RELS.values():
        rows = source.query("edges_scan", rel=rel.name)
        columns = {"from_id": [r["from_id"] for r in rows], "to_id": [r["to_id"] for r in rows]}
        for prop in rel.property_names:
            columns[prop] = [row.get(prop) for row in rows]
        plan.edges.append(EdgeWrite(rel, ids_by_label[rel.from_label], columns))
    return apply_plan(target, plan, progress)
