"""Bring the store in line with a write plan: compare, then write only what changed, in one
transaction. Back-end neutral: it uses only the GraphStore port.

A plan says, per node label, the full rows of the nodes it names, and per relationship type, the
complete set of relationships leaving a list of owner nodes. Re-applying a plan changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.graph import NodeType, RelType
from chainmap.interrupts import deferred_interrupts, note_commit
from chainmap.store.base import GraphStore, batched
from chainmap.store.columns import (
    as_table,
    differs,
    edge_schema,
    first_rows,
    is_in,
    locate,
    node_schema,
    pair_codes,
    plain,
    positions,
)
from chainmap.store.staged import staged

BATCH = 20_000
# What the targets snapshot is built from: writing any of these starts a new generation.
SNAPSHOT_INPUTS = ("Firm", "MAKES")
# Distinct sets of changed properties updated one statement each before falling back to one
# statement that sets every property.
MAX_UPDATE_SHAPES = 8
# Above this share of a label's nodes, one scan beats looking ids up one by one.
_SCAN_SHARE = 0.25

ProgressFn = Callable[[str, int], None]  # (what, rows just done)


Columns = dict[str, Any]  # column name -> values (a list or an Arrow array), all of one length
Ids = list[str] | pa.Array | pa.ChunkedArray


def row_count(columns: Columns) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _listed(ids: Ids) -> list[str]:
    return ids.to_pylist() if isinstance(ids, pa.Array | pa.ChunkedArray) else list(ids)


def _arrow_ids(ids: Ids) -> pa.Array | pa.ChunkedArray:
    return ids if isinstance(ids, pa.Array | pa.ChunkedArray) else pa.array(ids, pa.string())


@dataclass
class NodeWrite:
    node: NodeType
    columns: Columns  # "id" + every property of node

    def __len__(self) -> int:
        return row_count(self.columns)


@dataclass
class EdgeWrite:
    rel: RelType
    owners: Ids  # from-node ids whose `rel` relationships the plan states completely
    columns: Columns  # "from_id", "to_id" + every property of rel
    # For firm→link edges: the plan is complete only within these chains (and those of the links
    # it names); a firm's links in other chains are left alone. None: complete for the owners.
    scope_chains: set[str] | None = None
    # No (from_id, to_id) pair is named twice (a validated table's key): nothing to fold.
    pairs_unique: bool = False

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

    def touches(self, *names: str) -> bool:
        """Whether nodes of these labels or relationships of these types were written."""
        return any(
            changes.get(name, 0)
            for name in names
            for changes in (self.created, self.updated, self.edges_created, self.edges_deleted)
        )

    @property
    def any(self) -> bool:
        return any(
            sum(d.values())
            for d in (self.created, self.updated, self.edges_created, self.edges_deleted)
        )


def _count(store: GraphStore, label: str) -> int:
    return int(store.query("count_nodes", label=label)[0]["n"])


def _count_edges(store: GraphStore, rel: RelType) -> int:
    return int(store.query("count_edges", rel=rel.name)[0]["n"])


def current_nodes(store: GraphStore, node: NodeType, ids: Ids) -> dict[str, dict[str, Any]]:
    """The stored rows of these ids, by id (as dicts, for the few row-wise callers)."""
    wanted = set(_listed(ids))
    return {
        row["id"]: row for row in _nodes_table(store, node, ids).to_pylist() if row["id"] in wanted
    }


def _nodes_table(store: GraphStore, node: NodeType, ids: Ids) -> pa.Table:
    """The stored rows (id + every property) of these ids; a large share is read by one scan,
    which may bring other rows too."""
    schema = node_schema(node)
    total = _count(store, node.label)
    if total == 0:
        return schema.empty_table()
    if len(ids) >= total * _SCAN_SHARE:
        return store.scan_nodes(node)
    parts = [
        store.query_table("nodes_fetch", {"ids": chunk}, schema=schema, label=node.label)
        for chunk in batched(_listed(ids), BATCH)
    ]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _edges_table(store: GraphStore, rel: RelType, owners: Ids) -> pa.Table:
    """The stored relationships of type `rel` leaving these owners."""
    schema = edge_schema(rel)
    if not len(owners) or _count_edges(store, rel) == 0:
        # A first import creates the owners in this transaction; without relationships there
        # is nothing to read (the scan read ~1M firm ids for nothing: ~0.7 s at 1M firms).
        return schema.empty_table()
    total = _count(store, rel.from_label)
    if len(owners) >= total * _SCAN_SHARE:
        scanned = store.scan_edges(rel)
        if not scanned.num_rows:
            return scanned
        owned = is_in(scanned.column("from_id"), _arrow_ids(owners))
        return scanned.filter(owned)
    parts = [
        store.query_table("edges_fetch", {"ids": chunk}, schema=schema, rel=rel.name)
        for chunk in batched(_listed(owners), BATCH)
    ]
    return pa.concat_tables(parts)


def _changed_shapes(
    before: pa.Table,
    before_rows: np.ndarray,
    after: pa.Table,
    after_rows: np.ndarray,
    props: list[str],
) -> np.ndarray:
    """Per pair of rows (before_rows[i] of `before`, after_rows[i] of `after`): a bit mask of
    the properties that differ. Rows are gathered a column at a time: at a million firms,
    gathering whole tables first held ~250 MB more at the import's peak."""
    shapes = np.zeros(len(after_rows), dtype=np.int64)
    pool = pa.default_memory_pool()
    for bit, prop in enumerate(props):
        left = _aligned(before.column(prop), before_rows)
        right = _aligned(after.column(prop), after_rows)
        shapes |= differs(left, right).astype(np.int64) << bit
        # Arrow keeps freed buffers for reuse; returning them after each column kept ~60 MB
        # off a million-firm re-import's peak.
        del left, right
        pool.release_unused()
    return shapes


def _aligned(column: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    """column.take(rows), without the copy when rows are all rows in order (every row of the
    plan is stored already)."""
    if len(rows) == len(column) and np.array_equal(rows, np.arange(len(rows))):
        return column
    return column.take(rows)


def _columns_of(table: pa.Table) -> dict[str, Any]:
    return {name: table.column(name) for name in table.column_names}


def _apply_nodes(
    store: GraphStore, write: NodeWrite, changes: Changes, progress: ProgressFn
) -> None:
    node = write.node
    props = list(node.property_names)
    plan = as_table(write.columns, node_schema(node))
    current = _nodes_table(store, node, write.columns["id"])
    at = locate(plan.column("id"), current.column("id")) if current.num_rows else None
    if at is None:
        new, old = np.arange(plan.num_rows), np.zeros(0, dtype=np.int64)
    else:
        new, old = np.flatnonzero(at < 0), np.flatnonzero(at >= 0)
    for part in _parts(new, store.rows_per_create):
        chunk = _rows(plan, part)
        store.create_nodes(node, _columns_of(chunk))
        progress(node.label, chunk.num_rows)
    changed = 0
    if len(old):
        assert at is not None
        shapes = _changed_shapes(current, at[old], plan, old, props)
        differing = shapes != 0
        changed = int(differing.sum())
        rows, shapes = old[differing], shapes[differing]
        # Rows by the properties that changed in them: a refreshed register usually changes
        # one or two columns, and setting only those is several times faster than all.
        kinds = np.unique(shapes)
        if len(kinds) > MAX_UPDATE_SHAPES:  # many shapes: one statement setting everything
            groups = [(props, rows)]
        else:
            groups = [
                ([p for bit, p in enumerate(props) if int(kind) >> bit & 1], rows[shapes == kind])
                for kind in kinds
            ]
        for setting, indices in groups:
            columns = plan.select(["id", *setting])
            for start in range(0, len(indices), BATCH * 10):
                chunk = columns.take(indices[start : start + BATCH * 10])
                store.update_nodes(node, chunk)
                progress(node.label, chunk.num_rows)
    unchanged = len(old) - changed
    progress(node.label, unchanged)
    changes.created[node.label] = changes.created.get(node.label, 0) + len(new)
    changes.updated[node.label] = changes.updated.get(node.label, 0) + changed
    changes.unchanged[node.label] = changes.unchanged.get(node.label, 0) + unchanged


def _link_chains(store: GraphStore, link_ids: set[str]) -> dict[str, str]:
    chains: dict[str, str] = {}
    for chunk in batched(sorted(link_ids), BATCH):
        for row in store.query("link_chains", {"ids": chunk}):
            chains[row["id"]] = row["chain_id"]
    return chains


def _in_scope(store: GraphStore, write: EdgeWrite, current: pa.Table) -> pa.Table:
    """The current edges the plan speaks for: those into links of the chains it covers."""
    if write.scope_chains is None or not current.num_rows:
        return current
    named = set(_listed(pc.unique(_arrow_ids(write.columns["to_id"]))))
    stored_links = set(pc.unique(current.column("to_id")).to_pylist())
    chain_of = _link_chains(store, named | stored_links)
    chains = set(write.scope_chains) | {chain_of[link] for link in named if link in chain_of}
    covered = pa.array([link for link, chain in chain_of.items() if chain in chains], pa.string())
    return current.filter(is_in(current.column("to_id"), covered))


def _apply_edges(
    store: GraphStore, write: EdgeWrite, changes: Changes, progress: ProgressFn
) -> None:
    rel = write.rel
    props = list(rel.property_names)
    plan = as_table(write.columns, edge_schema(rel), encoded=True)
    current = _in_scope(store, write, _edges_table(store, rel, write.owners))
    if not current.num_rows and write.pairs_unique:  # a first import: every row is new
        _create_edges(store, rel, plan, np.arange(plan.num_rows), progress)
        changes.edges_created[rel.name] = changes.edges_created.get(rel.name, 0) + plan.num_rows
        changes.edges_deleted.setdefault(rel.name, 0)
        return
    plan_codes, current_codes, distinct = pair_codes(
        (plan.column("from_id"), plan.column("to_id")),
        (current.column("from_id"), current.column("to_id")),
    )
    # A pair named twice is written once (the first row).
    first = first_rows(plan_codes)
    if len(first) < plan.num_rows:
        plan, plan_codes = plan.take(first), plan_codes[first]
    at = positions(current_codes, plan_codes, distinct)
    delete = at < 0
    matched = np.flatnonzero(~delete)
    if len(matched) and props:
        delete[matched] = _changed_shapes(current, matched, plan, at[matched], props) != 0
    to_delete = current.filter(pa.array(delete)).select(["from_id", "to_id"]).to_pylist()
    # A plan row is created unless a kept stored edge is that row (`at` already pairs them).
    create_mask = np.ones(plan.num_rows, dtype=bool)
    create_mask[at[~delete]] = False
    create = np.flatnonzero(create_mask)
    for chunk in batched(to_delete, BATCH):
        store.execute("edges_delete", {"rows": chunk}, rel=rel.name)
    _create_edges(store, rel, plan, create, progress)
    progress(rel.name, len(write) - len(create))
    changes.edges_created[rel.name] = changes.edges_created.get(rel.name, 0) + len(create)
    changes.edges_deleted[rel.name] = changes.edges_deleted.get(rel.name, 0) + len(to_delete)


def _create_edges(
    store: GraphStore, rel: RelType, plan: pa.Table, rows: np.ndarray, progress: ProgressFn
) -> None:
    for part in _parts(rows, store.rows_per_create):
        chunk = _rows(plan, part)
        # Stores take plain columns; a plan's ends may be encoded over the dataset's firm ids.
        store.create_edges(
            rel, {name: plain(values) for name, values in _columns_of(chunk).items()}
        )
        progress(rel.name, chunk.num_rows)


def _parts(rows: np.ndarray, size: int | None) -> Iterator[np.ndarray]:
    """The rows in consecutive parts of at most `size` (one part when None)."""
    step = size or max(1, len(rows))
    for start in range(0, len(rows), step):
        yield rows[start : start + step]


def _rows(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """table.take(rows), as a slice (no copy) when the rows are consecutive."""
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and np.all(np.diff(rows) == 1):
        return table.slice(int(rows[0]), len(rows))
    return table.take(rows)


def apply_plan(store: GraphStore, plan: WritePlan, progress: ProgressFn | None = None) -> Changes:
    """Write the plan in one transaction; on any error nothing of it stays.

    Ctrl-C or SIGTERM while writing rolls the whole plan back at the next batch (or, when it
    comes too late, lets the commit finish) and raises Interrupted saying which. A plan larger
    than the back end's largest transaction (`max_transaction_rows`) is written in steps with
    an undo record instead (store/staged.py): on an error or an interrupt the steps already
    committed are undone, so the outcome is the same.
    """
    changes = Changes()
    # Memory Arrow keeps for reuse after reading and checking (~0.4 GB at a million firms)
    # goes back before the store's own reads and writes add theirs.
    pa.default_memory_pool().release_unused()
    limit = store.max_transaction_rows
    with deferred_interrupts() as guard:

        def report(what: str, rows: int) -> None:
            guard.check()
            if progress is not None:
                progress(what, rows)

        if limit is not None and plan.size() > limit:
            with staged(store, limit) as writer:
                # First, so that a half-written (or half-undone) import never keeps the old
                # generation: a snapshot of it would no longer be the graph.
                if _names(plan, *SNAPSHOT_INPUTS):
                    writer.execute("state_bump", {"generation": uuid.uuid4().hex})
                _write(writer, plan, changes, report)
                guard.check()
        else:
            with store.transaction():
                _write(store, plan, changes, report)
                if changes.touches(*SNAPSHOT_INPUTS):
                    store.execute("state_bump", {"generation": uuid.uuid4().hex})
                guard.check()
        note_commit()
    return changes


def _names(plan: WritePlan, *names: str) -> bool:
    """Whether the plan writes nodes of these labels or relationships of these types."""
    return any(w.node.label in names and len(w) for w in plan.nodes) or any(
        w.rel.name in names and (len(w) or len(w.owners)) for w in plan.edges
    )


def _write(store: GraphStore, plan: WritePlan, changes: Changes, report: ProgressFn) -> None:
    for node_write in plan.nodes:
        _apply_nodes(store, node_write, changes, report)
    for edge_write in plan.edges:
        _apply_edges(store, edge_write, changes, report)
