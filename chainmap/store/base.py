"""The store port: what the rest of chainmap may ask of a graph back end.

Adapters (store/ladybug.py, store/neo4j.py) are the only modules that import a database driver;
they raise StoreError, never driver exceptions. Statements are named files of cypher/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from chainmap.graph import NodeType, RelType

DEFAULT_DB = Path("chainmap-db")


class GraphStore(Protocol):
    backend: str  # "ladybug" or "neo4j": picks cypher/<backend>/ overrides
    location: str  # where the data lives, for messages

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

    def execute(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: str | None = None,
    ) -> None: ...

    def create_nodes(self, node: NodeType, columns: dict[str, list[Any]]) -> None:
        """Bulk-create nodes known not to exist yet (columns: id + every property)."""
        ...

    def create_edges(self, rel: RelType, columns: dict[str, list[Any]]) -> None:
        """Bulk-create relationships (columns: from_id, to_id + every property)."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship (the schema stays)."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class StoreSettings:
    db: Path = DEFAULT_DB
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, db: Path | None = None) -> StoreSettings:
        env = os.environ
        return cls(
            db=db or Path(env.get("CHAINMAP_DB") or DEFAULT_DB),
            neo4j_uri=env.get("CHAINMAP_NEO4J_URI") or None,
            neo4j_user=env.get("CHAINMAP_NEO4J_USER") or None,
            neo4j_password=env.get("CHAINMAP_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("CHAINMAP_NEO4J_DATABASE") or None,
        )


def open_store(settings: StoreSettings, *, create: bool = True) -> GraphStore:
    """The configured back end: Neo4j when a URI is set, else the embedded database folder."""
    if settings.neo4j_uri:
        from chainmap.store.neo4j import Neo4jStore

        return Neo4jStore.connect(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from chainmap.store.ladybug import LadybugStore

    return LadybugStore.open(settings.db, create=create)


def batched(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
