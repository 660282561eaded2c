"""The embedded default back end: LadybugDB (the maintained fork of Kùzu) in a folder on disk.

The folder holds `graph.lbug` (+ `.wal`) and `chainmap.json`, which records the LadybugDB version
that wrote it: storage formats change between LadybugDB releases, so a mismatch is refused with
a way out (re-import from the source datasets) instead of a crash.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ladybug

from chainmap import cypher
from chainmap.errors import StoreError, StoreLocked, StoreMissing
from chainmap.graph import NodeType, RelType

# Arrow and the column helpers are loaded by the methods that move whole tables: commands that
# only query (status, gaps, ledgers) start ~0.2 s sooner without them.
if TYPE_CHECKING:
    import pyarrow as pa

    from chainmap.store.snapshot import FirmSnapshot

DB_FILE = "graph.lbug"
META_FILE = "chainmap.json"
SNAPSHOT_FOLDER = "snapshot"
SCHEMA_VERSION = 8
GENERATION_SCHEMA = 8  # the first schema whose stores record the generation of their firms
# Measured at 1M firms: a one-key statement ~0.15 ms a key; `UNWIND $ids … MATCH (f {id: id})-[r]->`
# scans every edge of r, ~0.55 µs an edge, however few the ids.
_PER_KEY_S = 150e-6
_PER_EDGE_S = 0.55e-6
# Nodes read per statement by scan_nodes.
SCAN_ROWS = 250_000
# Additive changes a store of an older schema takes in place: version -> statements file.
MIGRATIONS = {5: "migrate_5", 6: "migrate_6", 7: "migrate_7", 8: "migrate_8"}


def _plain(value: Any) -> Any:
    # sum() comes back as Decimal on LadybugDB; callers expect plain numbers on every back end.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class LadybugStore:
    backend = "ladybug"
    max_transaction_rows: int | None = None  # the embedded store takes any import whole
    # One COPY per table: at a million firms, COPY in 200k-row parts cost ~1 s more CPU (most
    # of it in the commit) and ~300 MB more peak memory (benchmarks/import_bench.py).
    rows_per_create: int | None = None

    def __init__(self, folder: Path, database: Any, connection: Any):
        self.folder = folder
        self.location = str(folder)
        self._db = database
        self._conn = connection
        self._in_transaction = False

    @classmethod
    def open(cls, folder: Path, *, create: bool = True) -> LadybugStore:
        folder = Path(folder)
        meta_path = folder / META_FILE
        migrate_from: int | None = None
        if not meta_path.exists():
            if not create:
                raise StoreMissing(
                    f"数据库不存在：{folder}（请先运行 chainmap init 或 chainmap import）"
                )
            if folder.exists() and any(folder.iterdir()):
                raise StoreError(f"{folder} 不是 chainmap 数据库文件夹（非空且没有 {META_FILE}）")
        else:
            migrate_from = cls._check_meta(meta_path)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            database = ladybug.Database(str(folder / DB_FILE))
            connection = ladybug.Connection(database)
        except RuntimeError as exc:
            raise cls._open_error(folder, exc) from None
        store = cls(folder, database, connection)
        if meta_path.exists() and migrate_from is not None:
            store._migrate(migrate_from, meta_path)
        if not meta_path.exists():
            store.init_schema()
            meta_path.write_text(
                json.dumps(
                    {"schema": SCHEMA_VERSION, "ladybug": version("ladybug")}, ensure_ascii=False
                ),
                encoding="utf-8",
            )
        return store

    @staticmethod
    def _check_meta(meta_path: Path) -> int | None:
        """None when the store is current; the older schema version when it can be migrated."""
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{meta_path} 无法读取：{exc}") from None
        installed = version("ladybug")
        if meta.get("ladybug") != installed:
            raise StoreError(
                f"数据库 {meta_path.parent} 由 LadybugDB {meta.get('ladybug')} 创建，当前安装的是 "
                f"{installed}，存储格式不兼容。请删除该文件夹后用 chainmap import 从原始数据重建。"
            )
        schema = meta.get("schema")
        if (
            isinstance(schema, int)
            and schema < SCHEMA_VERSION
            and all(version_ in MIGRATIONS for version_ in range(schema + 1, SCHEMA_VERSION + 1))
        ):
            return schema
        if schema != SCHEMA_VERSION:
            raise StoreError(
                f"数据库 {meta_path.parent} 的结构版本为 {meta.get('schema')}，本版本需要 "
                f"{SCHEMA_VERSION}。请删除该文件夹后用 chainmap import 重建。"
            )
        return None

    def _migrate(self, schema: int, meta_path: Path) -> None:
        """Bring a store of an older schema up to date in place (additive changes only)."""
        for target in range(schema + 1, SCHEMA_VERSION + 1):
            for statement in cypher.statements(MIGRATIONS[target], self.backend):
                self._run(statement)
        if schema < GENERATION_SCHEMA:
            # Firms imported before generations were kept: this is their first.
            self.execute("state_bump", {"generation": uuid.uuid4().hex})
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["schema"] = SCHEMA_VERSION
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def _open_error(folder: Path, exc: RuntimeError) -> StoreError:
        text = str(exc)
        if "lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            holder = f"（进程 {pid.group(1)}）" if pid else ""
            return StoreLocked(
                f"数据库 {folder} 正被另一个进程{holder}使用；请等它结束后再试。"
                "同一数据库同一时间只能有一个进程写入。"
            )
        return StoreError(f"无法打开数据库 {folder}：{text}")

    # --- the port -------------------------------------------------------------------------

    def _run(self, text: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(text, params or {})
        except RuntimeError as exc:
            raise StoreError(f"数据库操作失败：{exc}") from exc

    def init_schema(self) -> None:
        for statement in cypher.statements("schema", self.backend):
            self._run(statement)

    def query(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
    ) -> list[dict[str, Any]]:
        return self._rows(self._run(cypher.load(name, self.backend, label, rel), params))

    @staticmethod
    def _rows(result: Any) -> list[dict[str, Any]]:
        columns = result.get_column_names()
        rows = [
            {column: _plain(value) for column, value in zip(columns, values, strict=True)}
            for values in result.get_all()
        ]
        result.close()
        return rows

    def execute(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
        props: tuple[str, ...] | None = None,
    ) -> None:
        self._run(cypher.load(name, self.backend, label, rel, props), params).close()

    def query_each(
        self,
        name: str,
        ids: list[str],
        params: dict[str, Any] | None = None,
        *,
        along: str,
        label: str | None = None,
        rel: str | None = None,
    ) -> list[dict[str, Any]]:
        edges = self.query("count_edges", rel=along)[0]["n"] if ids else 0
        if len(ids) * _PER_KEY_S > edges * _PER_EDGE_S:
            # Many keys on a small graph: the list form's one scan is cheaper. The portable
            # text (cypher/<name>.cypher, not this back end's override) reads $ids.
            text = cypher.load(name, "portable", label, rel)
            return self._rows(self._run(text, {**(params or {}), "ids": ids}))
        rows: list[dict[str, Any]] = []
        for key in ids:
            rows += self.query(name, {**(params or {}), "id": key}, label=label, rel=rel)
        return rows

    def query_table(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        schema: pa.Schema,
        label: str | None = None,
        rel: str | None = None,
    ) -> pa.Table:
        from chainmap.store.columns import conform

        result = self._run(cypher.load(name, self.backend, label, rel), params)
        try:
            if result.get_num_tuples() == 0:
                return schema.empty_table()
            return conform(result.get_as_arrow(chunk_size=-1), schema)
        finally:
            result.close()

    def scan_nodes(self, node: NodeType) -> pa.Table:
        import pyarrow as pa

        from chainmap.store.columns import in_offset_order, node_schema

        # In parts of SCAN_ROWS offsets: LadybugDB materialises a result in its buffer pool,
        # and a million firms read at once held ~150 MB more at a re-import's peak. The rows
        # come back in offset order, the order they were written in: a re-import of the same
        # register then pairs its rows with the stored ones without hashing a million ids.
        schema = node_schema(node)
        with_offsets = pa.schema([("offset", pa.int64()), *schema])
        end = int(self.query("node_offset_end", label=node.label)[0]["n"])
        parts = [
            self.query_table(
                "nodes_scan_range",
                {"low": low, "high": low + SCAN_ROWS},
                schema=with_offsets,
                label=node.label,
            )
            for low in range(0, end, SCAN_ROWS)
        ]
        if not parts:
            return schema.empty_table()
        return in_offset_order(pa.concat_tables(parts)).drop_columns(["offset"])

    def scan_edges(self, rel: RelType) -> pa.Table:
        import pyarrow as pa

        from chainmap.store.columns import (
            ENCODED_IDS,
            as_table,
            edge_schema,
            ids_at_offsets,
            in_offset_order,
        )

        # Each end comes back as its node's offset, not its id: reading the ids through the
        # join cost ~3x as much (1.27M firm links: 0.7-1.0 s of CPU against 0.25 s). The ids
        # are read once per label; each end is its node's row among them (a dictionary array),
        # which is what a re-import's comparison numbers pairs by.
        schema = edge_schema(rel)
        properties = [schema.field(p) for p in rel.property_names]
        ends = pa.schema([("from_offset", pa.int64()), ("to_offset", pa.int64()), *properties])
        scanned = self.query_table("edges_scan_offsets", schema=ends, rel=rel.name)
        offsets = pa.schema([("offset", pa.int64()), ("id", pa.string())])
        # In offset order, as scan_nodes lists them: the dictionary then equals the plan's
        # ids when a register is imported again, and ends pair by their rows alone.
        ids = {
            label: in_offset_order(
                self.query_table("node_offsets", schema=offsets, label=label)
            ).combine_chunks()
            for label in {rel.from_label, rel.to_label}
        }
        columns = {
            "from_id": ids_at_offsets(ids[rel.from_label], scanned.column("from_offset")),
            "to_id": ids_at_offsets(ids[rel.to_label], scanned.column("to_offset")),
        }
        columns |= {p: scanned.column(p) for p in rel.property_names}
        encoded = pa.schema([("from_id", ENCODED_IDS), ("to_id", ENCODED_IDS), *properties])
        return as_table(columns, encoded)

    def create_nodes(self, node: NodeType, columns: dict[str, Any]) -> None:
        if not len(columns["id"]):
            return
        from chainmap.store.columns import as_table, node_schema

        # COPY is LadybugDB's bulk path (~20x faster than UNWIND ... CREATE); it maps columns
        # by position, so the frame is built in DDL order. On one thread the nodes get their
        # offsets in the frame's order: a re-import of the same register then meets its rows in
        # that order (scan_nodes) and pairs them without hashing the ids. It also took less
        # CPU (1M firms: 3.9 s against 4.7 s with the commit) for ~1 s more wall time.
        self._conn.set_max_threads_for_exec(1)
        try:
            self.execute(
                "copy_nodes", {"frame": as_table(columns, node_schema(node))}, label=node.label
            )
        finally:
            self._conn.set_max_threads_for_exec(0)  # the database's own limit

    def update_nodes(self, node: NodeType, table: pa.Table) -> None:
        if not table.num_rows:
            return
        props = tuple(name for name in table.column_names if name != "id")
        # LOAD FROM an Arrow frame sets ~4x faster than UNWIND over a list of row maps; the
        # frame's columns are bound as variables, renamed so no property name can clash.
        frame = table.rename_columns([f"v_{name}" for name in table.column_names])
        self.execute("nodes_update_frame", {"frame": frame}, label=node.label, props=props)

    def create_edges(self, rel: RelType, columns: dict[str, Any]) -> None:
        if not len(columns["from_id"]):
            return
        from chainmap.store.columns import as_table, edge_schema

        frame = as_table(columns, edge_schema(rel)).rename_columns(
            ["from", "to", *rel.property_names]
        )
        self.execute("copy_edges", {"frame": frame}, rel=rel.name)

    def targets_snapshot(self) -> FirmSnapshot | None:
        from chainmap.store import snapshot

        return snapshot.load_or_build(self, self.folder / SNAPSHOT_FOLDER)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self.execute("tx_begin")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            self._rollback()
            raise
        self._in_transaction = False
        self.execute("tx_commit")

    def _rollback(self) -> None:
        try:
            self.execute("tx_rollback")
        except StoreError as exc:
            # A statement that fails at run time (a binder error, a full buffer pool or disk)
            # has already rolled LadybugDB's transaction back; its own error is the one to show.
            if "No active transaction" not in str(exc):
                raise

    def clear(self) -> None:
        self.execute("clear_all")

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
