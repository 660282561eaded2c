"""The --db option and opening the configured store for a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from chainmap.store.base import GraphStore, StoreSettings, open_store

db_option = click.option(
    "--db",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CHAINMAP_DB",
    default=None,
    help="嵌入式数据库文件夹（环境变量 CHAINMAP_DB；默认 ./chainmap-db）。"
    "设置 CHAINMAP_NEO4J_URI 时改用 Neo4j。",
)


@contextmanager
def store_for(db: Path | None, *, create: bool = True) -> Iterator[GraphStore]:
    store = open_store(StoreSettings.from_env(db), create=create)
    try:
        yield store
    finally:
        store.close()
