"""The store port: what the rest of chainmap may ask of a graph back end.

Adapters (store/ladybug.py, store/neo4j.py) are the only modules that import a database driver;
they raise StoreError, never driver exceptions. Statements are named files of cypher/.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from chainmap.config import environment
from chainmap.errors import ConfigError
from chainmap.graph import NodeType, RelType
from chainmap.store.util import batched as batched  # re-exported for the sync layer

if TYPE_CHECKING:
    import pyarrow as pa

    from chainmap.store.snapshot import FirmSnapshot

DEFAULT_DB = Path("chainmap-db")


class GraphStore(Protocol):
    backend: str  # "ladybug" or "neo4j": picks cypher/<backend>/ overrides
    location: str  # where the data lives, for messages
    # The most rows one transaction may write (None: no limit); a larger import is written in
    # steps with an undo record (store/staged.py).
    max_transaction_rows: int | None
    # Rows handed to one create_nodes / create_edges call (None: all new rows of a table in
    # one call). Between calls the import reports progress and notices Ctrl-C.
    rows_per_create: int | None

    def init_schema(self) -> None: ...

    def query(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
    ) -> list[dict[str, Any]]:
        """Run statement `name` (label/rel fill its schema placeholders); rows as dicts."""
        ...

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
        """Rows of statement `name` for each of `ids`. The portable text reads the list as $ids;
        a back end may run its one-key text ($id) once per id instead, when that is cheaper than
        one pass over the `along` relationships the statement follows."""
        ...

    def query_table(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        schema: pa.Schema,
        label: str | None = None,
        rel: str | None = None,
    ) -> pa.Table:
        """Run statement `name`; its result as one Arrow table of `schema` (columns by name)."""
        ...

    def scan_nodes(self, node: NodeType) -> pa.Table:
        """Every stored node of a label: id and its properties (store.columns.node_schema)."""
        ...

    def scan_edges(self, rel: RelType) -> pa.Table:
        """Every stored relationship of type `rel`: from_id, to_id and its properties (the
        columns of store.columns.edge_schema)."""
        ...

    def execute(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
        props: tuple[str, ...] | None = None,
    ) -> None: ...

    def create_nodes(self, node: NodeType, columns: dict[str, list[Any]]) -> None:
        """Bulk-create nodes known not to exist yet (columns: id + every property)."""
        ...

    def update_nodes(self, node: NodeType, table: pa.Table) -> None:
        """Set the properties `table` holds (columns: id + some properties of node) on the
        existing nodes of those ids."""
        ...

    def create_edges(self, rel: RelType, columns: dict[str, list[Any]]) -> None:
        """Bulk-create relationships (columns: from_id, to_id + every property)."""
        ...

    def targets_snapshot(self) -> FirmSnapshot | None:
        """The firm facts targets are scored on, as columns of the store's current generation;
        None where the back end keeps no snapshot (targets then read candidates by Cypher)."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship (the schema stays)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphStore: ...

    def __exit__(self, *exc_info: object) -> None: ...


@dataclass(frozen=True)
class StoreSettings:
    db: Path = DEFAULT_DB
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    neo4j_tx_rows: int | None = None

    @classmethod
    def from_env(cls, db: Path | None = None) -> StoreSettings:
        env = environment()
        return cls(
            db=db or Path(env.db or DEFAULT_DB),
            neo4j_uri=env.neo4j_uri,
            neo4j_user=env.neo4j_user,
            neo4j_password=env.neo4j_password,
            neo4j_database=env.neo4j_database,
            neo4j_tx_rows=_tx_rows(env.neo4j_tx_rows),
        )


def _tx_rows(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1000:
        raise ConfigError(
            f"CHAINMAP_NEO4J_TX_ROWS 应为不小于 1000 的整数（每个事务最多写入的行数）：{text}"
        )
    return int(text)


def open_store(
    settings: StoreSettings, *, create: bool = True, backend: str | None = None
) -> GraphStore:
    """The one way to get a store: Neo4j when a URI is set (or `backend` says "neo4j"), else
    the embedded database folder (or `backend` "ladybug", whatever the environment says)."""
    backend = backend or ("neo4j" if settings.neo4j_uri else "ladybug")
    if backend == "neo4j":
        if not settings.neo4j_uri:
            raise ConfigError(
                "请先设置 CHAINMAP_NEO4J_URI（以及 CHAINMAP_NEO4J_USER、CHAINMAP_NEO4J_PASSWORD）",
                hint="见 README“共享 Neo4j”一节",
            )
        from chainmap.store.neo4j import Neo4jStore

        return Neo4jStore.connect(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            tx_rows=settings.neo4j_tx_rows,
        )
    from chainmap.store.ladybug import LadybugStore

    return LadybugStore.open(settings.db, create=create)
