"""Writing a plan too large for one transaction of the back end: in several, with an undo log.

A Neo4j server holds a whole transaction in memory (`db.memory.transaction.total.max`): a
million-firm import as one transaction fails there (measured: 200k firms already did on the
docker-compose settings). Such a plan is written in steps of at most `rows` rows, each its own
transaction. Before each step the writer records how to undo it, reading what the step will
replace: created nodes and relationships are deleted, changed properties set back, deleted
relationships made again, the generation token restored. When a step fails, or the user stops
the import, the record is played backwards (each undo step its own transaction) and the graph
is as it was before the import. Other clients may see the import half done while it runs: the
price of not holding it in one transaction.

If the undo itself cannot finish (the server went away), the message says so: the plan is
idempotent, so running the same import again completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from chainmap.errors import StoreError
from chainmap.graph import RELS, NodeType, RelType
from chainmap.interrupts import Interrupted
from chainmap.store.base import GraphStore
from chainmap.store.columns import as_table, edge_schema, node_schema, pair_keys

Step = Callable[[], None]


def _slices(length: int, rows: int) -> Iterator[slice]:
    for start in range(0, length, rows):
        yield slice(start, min(length, start + rows))


def _cut(columns: dict[str, Any], span: slice) -> dict[str, Any]:
    return {name: values[span] for name, values in columns.items()}


class StagedWriter:
    """Stands in for the store while a plan is applied: reads go to the store, each write is
    recorded for undo and committed on its own, `rows` rows at a time."""

    def __init__(self, store: GraphStore, rows: int):
        self.store = store
        self.rows = max(1, rows)
        self.rows_per_create = store.rows_per_create
        self.backend = store.backend
        self.location = store.location
        self._undo: list[Step] = []
        self.steps = 0

    # --- reads: straight to the store -------------------------------------------------------

    def query(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        return self.store.query(*args, **kwargs)

    def query_table(self, *args: Any, **kwargs: Any) -> pa.Table:
        return self.store.query_table(*args, **kwargs)

    def scan_nodes(self, node: NodeType) -> pa.Table:
        return self.store.scan_nodes(node)

    def scan_edges(self, rel: RelType) -> pa.Table:
        return self.store.scan_edges(rel)

    def transaction(self) -> AbstractContextManager[None]:
        return nullcontext()  # every step is its own transaction

    # --- writes: one step each ----------------------------------------------------------------

    def _step(self, undo: Step, write: Step) -> None:
        # The undo is recorded first: a step whose commit is lost in transit may have landed,
        # and every undo is safe to run for a step that did not.
        self._undo.append(undo)
        with self.store.transaction():
            write()
        self.steps += 1

    def create_nodes(self, node: NodeType, columns: dict[str, Any]) -> None:
        for span in _slices(len(columns["id"]), self.rows):
            part = _cut(columns, span)
            ids = list(part["id"].to_pylist() if hasattr(part["id"], "to_pylist") else part["id"])
            self._step(
                lambda ids=ids: self.store.execute("nodes_delete", {"ids": ids}, label=node.label),
                lambda part=part: self.store.create_nodes(node, part),
            )

    def update_nodes(self, node: NodeType, table: pa.Table) -> None:
        for span in _slices(table.num_rows, self.rows):
            part = table.slice(span.start, span.stop - span.start)
            before = self.store.query_table(
                "nodes_fetch",
                {"ids": part.column("id").to_pylist()},
                schema=node_schema(node),
                label=node.label,
            ).select(part.column_names)
            self._step(
                lambda before=before: self.store.update_nodes(node, before),
                lambda part=part: self.store.update_nodes(node, part),
            )

    def create_edges(self, rel: RelType, columns: dict[str, Any]) -> None:
        for span in _slices(len(columns["from_id"]), self.rows):
            part = _cut(columns, span)
            pairs = as_table(part, edge_schema(rel)).select(["from_id", "to_id"]).to_pylist()
            self._step(
                lambda pairs=pairs: self.store.execute(
                    "edges_delete", {"rows": pairs}, rel=rel.name
                ),
                lambda part=part: self.store.create_edges(rel, part),
            )

    def execute(self, name: str, params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        params = params or {}
        if name == "edges_delete":
            rel = RELS[kwargs["rel"]]
            for span in _slices(len(params["rows"]), self.rows):
                self._delete_edges(rel, params["rows"][span])
        elif name == "state_bump":
            rows = self.store.query("state_generation")
            old = rows[0]["generation"] if rows else None
            self._step(
                lambda: (
                    self.store.execute("state_bump", {"generation": old})
                    if old
                    else self.store.execute("state_clear")
                ),
                lambda: self.store.execute(name, params),
            )
        else:
            raise StoreError(f"分批写入不支持语句 {name}")

    def _delete_edges(self, rel: RelType, rows: list[dict[str, str]]) -> None:
        owners = sorted({row["from_id"] for row in rows})
        stored = self.store.query_table(
            "edges_fetch", {"ids": owners}, schema=edge_schema(rel), rel=rel.name
        )
        wanted = pair_keys(
            pa.array([r["from_id"] for r in rows], pa.string()),
            pa.array([r["to_id"] for r in rows], pa.string()),
        )
        keys = pair_keys(stored.column("from_id"), stored.column("to_id"))
        before = stored.filter(pc.is_in(keys, value_set=wanted))
        columns = {name: before.column(name) for name in before.column_names}

        def undo() -> None:
            # Delete first: a step that never landed left these relationships in place.
            pairs = before.select(["from_id", "to_id"]).to_pylist()
            self.store.execute("edges_delete", {"rows": pairs}, rel=rel.name)
            self.store.create_edges(rel, columns)

        self._step(undo, lambda: self.store.execute("edges_delete", {"rows": rows}, rel=rel.name))

    # --- undo ---------------------------------------------------------------------------------

    def undo(self) -> None:
        """Play the record backwards; each undo step commits on its own."""
        while self._undo:
            step = self._undo[-1]
            with self.store.transaction():
                step()
            self._undo.pop()


@contextmanager
def staged(store: GraphStore, rows: int) -> Iterator[StagedWriter]:
    """A StagedWriter whose steps are undone when the block fails or is interrupted."""
    writer = StagedWriter(store, rows)
    try:
        yield writer
    except BaseException as exc:
        try:
            writer.undo()
        except Exception as undo_error:
            raise StoreError(
                f"导入在第 {writer.steps + 1} 批失败（{exc}），撤销未能完成（{undo_error}）："
                "数据库中留有部分新数据。请在数据库恢复后重新运行同一导入，即可补全（导入可重复执行）。"
            ) from exc
        if isinstance(exc, Interrupted):
            raise Interrupted(committed=False) from None
        if isinstance(exc, StoreError):
            raise StoreError(
                f"{exc}（分批写入的第 {writer.steps + 1} 批失败；已撤销此前写入的 {writer.steps} 批，"
                "数据库保持导入前的状态）"
            ) from exc
        raise
