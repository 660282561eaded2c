"""Bring the store in line with a write plan: compare, then write only what changed, in one
transaction. Back-end neutral: it uses only the GraphStore port.

A plan says, per node label, the full rows of the nodes it names, and per relationship type, the
complete set of relationships leaving a list of owner nodes. Re-applying a plan changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chainmap.graph import NodeType, RelType
from chainmap.interrupts import deferred_interrupts, note_commit
from chainmap.store.base import GraphStore, batched

BATCH = 20_000
# Distinct sets of changed properties updated one statement each before falling back to one
# statement that sets every property.
MAX_UPDATE_SHAPES = 8
# Above this share of a label's nodes, one scan beats looking ids up one by one.
_SCAN_SHARE = 0.25

ProgressFn = Callable[[str, int], None]  # (what, rows just done)


Columns = dict[str, list[Any]]  # column name -> values, all of one length


def take(columns: Columns, indices: list[int]) -> Columns:
    return {name: [values[i] for i in indices] for name, values in columns.items()}


def row_count(columns: Columns) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def rows_of(columns: Columns, indices: list[int]) -> list[dict[str, Any]]:
    names = list(columns)
    return [{name: columns[name][i] for name in names} for i in indices]


def sliced(columns: Columns, size: int) -> list[Columns]:
    total = row_count(columns)
    return [
        {name: values[start : start + size] for name, values in columns.items()}
        for start in range(0, total, size)
    ]


@dataclass
class NodeWrite:
    node: NodeType
    columns: Columns  # "id" + every property of node

    def __len__(self) -> int:
        return row_count(self.columns)


@dataclass
class EdgeWrite:
    rel: RelType
    owners: list[str]  # from-node ids whose `rel` relationships the plan states completely
    columns: Columns  # "from_id", "to_id" + every property of rel
    # For firm→link edges: the plan is complete only within these chains (and those of the links
    # it names); a firm's links in other chains are left alone. None: complete for the owners.
    scope_chains: set[str] | None = None

    def __len__(self) -> int:
        return row_count(self.columns)


@dataclass
class WritePlan:
    nodes: list[NodeWrite] = field(default_factory=list)
    edges: list[EdgeWrite] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(n) for n in self.nodes) + sum(len(e) for e in self.edges)


@dataclass
class Changes:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    edges_created: dict[str, int] = field(default_factory=dict)
    edges_deleted: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return any(
            sum(d.values())
            for d in (self.created, self.updated, self.edges_created, self.edges_deleted)
        )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list) or isinstance(b, tuple | list):
        return list(a or []) == list(b or [])
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def _count(store: GraphStore, label: str) -> int:
    return int(store.query("count_nodes", label=label)[0]["n"])


def current_nodes(store: GraphStore, node: NodeType, ids: list[str]) -> dict[str, dict[str, Any]]:
    total = _count(store, node.label)
    if total == 0:
        return {}
    if len(ids) >= total * _SCAN_SHARE:
        wanted = set(ids)
        rows = store.query("nodes_scan", label=node.label)
        return {row["id"]: row for row in rows if row["id"] in wanted}
    current: dict[str, dict[str, Any]] = {}
    for chunk in batched(ids, BATCH):
        for row in store.query("nodes_fetch", {"ids": chunk}, label=node.label):
            current[row["id"]] = row
    return current


def _edge_key(row: dict[str, Any]) -> tuple[str, str]:
    return (row["from_id"], row["to_id"])


def _current_edges(
    store: GraphStore, rel: RelType, owners: list[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    total = _count(store, rel.from_label)
    current: dict[tuple[str, str], dict[str, Any]] = {}
    if total == 0:
        return current
    if len(owners) >= total * _SCAN_SHARE:
        wanted = set(owners)
        for row in store.query("edges_scan", rel=rel.name):
            if row["from_id"] in wanted:
                current[_edge_key(row)] = row
        return current
    for chunk in batched(owners, BATCH):
        for row in store.query("edges_fetch", {"ids": chunk}, rel=rel.name):
            current[_edge_key(row)] = row
    return current


def _apply_nodes(
    store: GraphStore, write: NodeWrite, changes: Changes, progress: ProgressFn
) -> None:
    node = write.node
    ids = write.columns["id"]
    current = current_nodes(store, node, ids)
    new: list[int] = []
    changed: list[int] = []
    # Rows by the properties that changed in them: a refreshed register usually changes one
    # or two columns, and setting only those is several times faster than setting every one.
    by_props: dict[tuple[str, ...], list[int]] = {}
    columns = [(p, write.columns[p]) for p in node.property_names]
    for index, node_id in enumerate(ids):
        existing = current.get(node_id)
        if existing is None:
            new.append(index)
            continue
        differ = tuple(p for p, values in columns if not _same(existing.get(p), values[index]))
        if differ:
            changed.append(index)
            by_props.setdefault(differ, []).append(index)
    to_create = write.columns if len(new) == len(ids) else take(write.columns, new)
    for chunk in sliced(to_create, BATCH * 10):
        store.create_nodes(node, chunk)
        progress(node.label, row_count(chunk))
    if len(by_props) > MAX_UPDATE_SHAPES:  # many shapes: one statement setting everything
        by_props = {tuple(node.property_names): changed}
    for props, indices in by_props.items():
        keep = ["id", *props]
        for chunk in batched(indices, BATCH):
            rows = [{name: write.columns[name][i] for name in keep} for i in chunk]
            store.execute("nodes_update", {"rows": rows}, label=node.label, props=props)
            progress(node.label, len(chunk))
    unchanged = len(ids) - len(new) - len(changed)
    progress(node.label, unchanged)
    changes.created[node.label] = changes.created.get(node.label, 0) + len(new)
    changes.updated[node.label] = changes.updated.get(node.label, 0) + len(changed)
    changes.unchanged[node.label] = changes.unchanged.get(node.label, 0) + unchanged


def _link_chains(store: GraphStore, link_ids: set[str]) -> dict[str, str]:
    chains: dict[str, str] = {}
    for chunk in batched(sorted(link_ids), BATCH):
        for row in store.query("link_chains", {"ids": chunk}):
            chains[row["id"]] = row["chain_id"]
    return chains


def _in_scope(
    store: GraphStore, write: EdgeWrite, current: dict[tuple[str, str], dict[str, Any]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The current edges the plan speaks for: those into links of the chains it covers."""
    if write.scope_chains is None:
        return current
    named = set(write.columns["to_id"])
    chain_of = _link_chains(store, named | {to_id for _, to_id in current})
    chains = set(write.scope_chains) | {chain_of[link] for link in named if link in chain_of}
    return {key: row for key, row in current.items() if chain_of.get(key[1]) in chains}


def _apply_edges(
    store: GraphStore, write: EdgeWrite, changes: Changes, progress: ProgressFn
) -> None:
    rel = write.rel
    current = _in_scope(store, write, _current_edges(store, rel, write.owners))
    wanted = {
        key: index
        for index, key in enumerate(
            zip(write.columns["from_id"], write.columns["to_id"], strict=True)
        )
    }
    to_delete = [
        {"from_id": key[0], "to_id": key[1]}
        for key, row in current.items()
        if key not in wanted
        or not all(_same(row.get(p), write.columns[p][wanted[key]]) for p in rel.property_names)
    ]
    deleted = {(row["from_id"], row["to_id"]) for row in to_delete}
    create = [index for key, index in wanted.items() if key not in current or key in deleted]
    for chunk in batched(to_delete, BATCH):
        store.execute("edges_delete", {"rows": chunk}, rel=rel.name)
    to_create = write.columns if len(create) == len(write) else take(write.columns, create)
    for chunk in sliced(to_create, BATCH * 10):
        store.create_edges(rel, chunk)
        progress(rel.name, row_count(chunk))
    progress(rel.name, len(write) - len(create))
    changes.edges_created[rel.name] = changes.edges_created.get(rel.name, 0) + len(create)
    changes.edges_deleted[rel.name] = changes.edges_deleted.get(rel.name, 0) + len(to_delete)


def apply_plan(store: GraphStore, plan: WritePlan, progress: ProgressFn | None = None) -> Changes:
    """Write the plan in one transaction; on any error nothing of it stays.

    Ctrl-C or SIGTERM while writing rolls the whole plan back at the next batch (or, when it
    comes too late, lets the commit finish) and raises Interrupted saying which.
    """
    changes = Changes()
    with deferred_interrupts() as guard:

        def report(what: str, rows: int) -> None:
            guard.check()
            if progress is not None:
                progress(what, rows)

        with store.transaction():
            for node_write in plan.nodes:
                _apply_nodes(store, node_write, changes, report)
            for edge_write in plan.edges:
                _apply_edges(store, edge_write, changes, report)
            guard.check()
        note_commit()
    return changes
