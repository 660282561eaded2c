"""The shared back end: a Neo4j 5 server (or cluster, or Aura) over Bolt, official driver.

Reads and single writes run as managed transactions (the driver retries transient failures);
an import runs inside one explicit transaction (`transaction()`), in UNWIND batches, so a failed
import leaves the graph as it was. Statements come from cypher/, with cypher/neo4j/ overrides.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from chainmap import cypher
from chainmap.errors import StoreError, StoreUnavailable
from chainmap.graph import NodeType, RelType
from chainmap.store.util import batched

# The server's notifications (01N42 "missing property name is: effective_on" for an optional
# column no row has yet, and the like) are about chainmap's own statements, not the user's data:
# the driver would print each one to stderr. Errors still raise.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

MIN_MAJOR_VERSION = 5
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
BATCH = 10_000
# Rows one import transaction writes at most; a larger import is written in steps that are
# undone on failure (store/staged.py). 100k firms (~280k rows) fitted in the docker-compose
# settings' 2 GB of transaction memory and 200k did not: a step of 50k rows leaves room.
TX_ROWS = 50_000
CONNECT_TIMEOUT_S = 10


def _rows(columns: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(columns)
    lists = [
        values.to_pylist() if isinstance(values, pa.Array | pa.ChunkedArray) else values
        for values in columns.values()
    ]
    # Parsed list properties arrive as tuples; the driver is given lists.
    lists = [[list(v) if isinstance(v, tuple) else v for v in values] for values in lists]
    return [dict(zip(names, values, strict=True)) for values in zip(*lists, strict=True)]


class Neo4jStore:
    backend = "neo4j"
    # Each call turns its rows into Python maps for the driver: bounded, so memory is too.
    rows_per_create: int | None = 200_000

    def __init__(self, driver: Any, uri: str, database: str | None, tx_rows: int | None = None):
        self.max_transaction_rows = tx_rows or TX_ROWS
        self._driver = driver
        self._database = database
        self.location = f"{uri}（数据库 {database or '默认'}）"
        self._session: Any = None
        self._tx: Any = None

    @classmethod
    def connect(
        cls,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        tx_rows: int | None = None,
    ) -> Neo4jStore:
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreUnavailable(
                f"Neo4j 地址无效：{uri}（应以 {' / '.join(s + '://' for s in BOLT_SCHEMES)} 开头）"
            )
        try:
            driver = GraphDatabase.driver(
                uri, auth=(user or "neo4j", password or ""), connection_timeout=CONNECT_TIMEOUT_S
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"Neo4j 地址无效：{uri}（{exc}）") from None
        try:
            driver.verify_connectivity()
            info = driver.get_server_info()
            # Touch the database itself: a wrong name fails here, not on the first query.
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
        except neo4j_errors.AuthError:
            driver.close()
            raise StoreUnavailable(
                f"Neo4j 认证失败：{uri}（请检查 CHAINMAP_NEO4J_USER / CHAINMAP_NEO4J_PASSWORD）"
            ) from None
        except neo4j_errors.ServiceUnavailable as exc:
            driver.close()
            raise StoreUnavailable(f"无法连接 Neo4j：{uri}（{exc}）") from None
        except neo4j_errors.Neo4jError as exc:
            driver.close()
            if "DatabaseNotFound" in (exc.code or ""):
                raise StoreUnavailable(
                    f"Neo4j 服务器 {uri} 上没有数据库 {database}（请检查 CHAINMAP_NEO4J_DATABASE）"
                ) from None
            raise StoreUnavailable(f"Neo4j 拒绝连接：{uri}（{exc.code}: {exc.message}）") from None
        except neo4j_errors.DriverError as exc:
            driver.close()
            raise StoreUnavailable(f"无法连接 Neo4j：{uri}（{exc}）") from None
        version = re.search(r"(\d+)\.(\d+)", info.agent or "")
        if not version or int(version.group(1)) < MIN_MAJOR_VERSION:
            driver.close()
            raise StoreUnavailable(
                f"Neo4j 服务器版本不受支持：{info.agent}（需要 Neo4j {MIN_MAJOR_VERSION} 或更高）"
            )
        store = cls(driver, uri, database, tx_rows)
        store.init_schema()
        return store

    # --- the port -------------------------------------------------------------------------

    def _text(self, name: str, label: str | None, rel: str | None) -> str:
        return cypher.load(name, self.backend, label, rel)

    def _run(self, text: str, params: dict[str, Any], *, write: bool) -> list[dict[str, Any]]:
        try:
            if self._tx is not None:
                return [record.data() for record in self._tx.run(text, params)]

            def work(tx: Any) -> list[dict[str, Any]]:
                return [record.data() for record in tx.run(text, params)]

            with self._driver.session(database=self._database) as session:
                runner = session.execute_write if write else session.execute_read
                return runner(work)
        except neo4j_errors.Neo4jError as exc:
            raise StoreError(f"Neo4j 操作失败：{exc.code}: {exc.message}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"Neo4j 连接出错：{exc}") from exc

    def init_schema(self) -> None:
        for statement in cypher.statements("schema", self.backend):
            self._run(statement, {}, write=True)

    def query(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
    ) -> list[dict[str, Any]]:
        return self._run(self._text(name, label, rel), params or {}, write=False)

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
        return self.query(name, {**(params or {}), "ids": ids}, label=label, rel=rel)

    def query_table(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        schema: pa.Schema,
        label: str | None = None,
        rel: str | None = None,
    ) -> pa.Table:
        rows = self.query(name, params, label=label, rel=rel)
        return pa.Table.from_pylist(rows, schema=schema)

    def scan_nodes(self, node: NodeType) -> pa.Table:
        from chainmap.store.columns import node_schema

        return self.query_table("nodes_scan", schema=node_schema(node), label=node.label)

    def scan_edges(self, rel: RelType) -> pa.Table:
        from chainmap.store.columns import edge_schema

        return self.query_table("edges_scan", schema=edge_schema(rel), rel=rel.name)

    def execute(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
        props: tuple[str, ...] | None = None,
    ) -> None:
        self._run(cypher.load(name, self.backend, label, rel, props), params or {}, write=True)

    def create_nodes(self, node: NodeType, columns: dict[str, list[Any]]) -> None:
        text = self._text("nodes_create", node.label, None)
        for chunk in batched(_rows(columns), BATCH):
            self._run(text, {"rows": chunk}, write=True)

    def update_nodes(self, node: NodeType, table: pa.Table) -> None:
        props = tuple(name for name in table.column_names if name != "id")
        text = cypher.load("nodes_update", self.backend, node.label, None, props)
        for chunk in batched(table.to_pylist(), BATCH):
            self._run(text, {"rows": chunk}, write=True)

    def create_edges(self, rel: RelType, columns: dict[str, list[Any]]) -> None:
        text = self._text("edges_create", None, rel.name)
        for chunk in batched(_rows(columns), BATCH):
            self._run(text, {"rows": chunk}, write=True)

    def targets_snapshot(self) -> None:
        # A shared server changes under many clients and a client's disk is not the place for
        # its derived data: targets read candidates by Cypher here (exact, slower at 1M firms).
        return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._tx is not None:
            yield
            return
        try:
            self._session = self._driver.session(database=self._database)
            self._tx = self._session.begin_transaction()
        except neo4j_errors.Neo4jError as exc:
            raise StoreError(f"Neo4j 无法开始事务：{exc.code}: {exc.message}") from exc
        try:
            yield
        except BaseException:
            self._tx.rollback()
            raise
        else:
            try:
                self._tx.commit()
            except neo4j_errors.Neo4jError as exc:
                raise StoreError(f"Neo4j 提交失败，数据未改变：{exc.code}: {exc.message}") from exc
        finally:
            self._tx = None
            self._session.close()
            self._session = None

    def clear(self) -> None:
        # In batches: one huge DETACH DELETE can exceed the server's transaction memory.
        while self._run(self._text("clear_batch", None, None), {"limit": BATCH}, write=True)[0][
            "n"
        ]:
            pass

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
