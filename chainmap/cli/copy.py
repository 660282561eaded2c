"""`chainmap copy`: move a graph between the embedded database and Neo4j."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import click

from chainmap.errors import ChainmapError
from chainmap.store.base import DEFAULT_DB, GraphStore, StoreSettings
from chainmap.store.copy import copy_graph
from chainmap.store.ladybug import LadybugStore


def _neo4j(settings: StoreSettings) -> GraphStore:
    if not settings.neo4j_uri:
        raise ChainmapError(
            "请先设置 CHAINMAP_NEO4J_URI（以及 CHAINMAP_NEO4J_USER、CHAINMAP_NEO4J_PASSWORD）"
        )
    from chainmap.store.neo4j import Neo4jStore

    return Neo4jStore.connect(
        settings.neo4j_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=settings.neo4j_database,
    )


@click.command("copy")
@click.option(
    "--to",
    "direction",
    type=click.Choice(["neo4j", "ladybug"]),
    required=True,
    help="neo4j：把本地嵌入式数据库复制到 Neo4j；ladybug：把 Neo4j 复制到本地。",
)
@click.option(
    "--db",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本地嵌入式数据库文件夹（默认 CHAINMAP_DB 或 ./chainmap-db）。",
)
@click.option(
    "--replace", is_flag=True, help="先清空目标库（否则按编号合并，目标中独有的数据保留）。"
)
def copy_command(direction: str, db: Path | None, replace: bool) -> None:
    """在本地嵌入式数据库与 Neo4j 之间复制整个图谱。

    Neo4j 连接取自 CHAINMAP_NEO4J_URI、CHAINMAP_NEO4J_USER、CHAINMAP_NEO4J_PASSWORD、
    CHAINMAP_NEO4J_DATABASE。写入在一个事务中完成，失败时目标库不变。
    """
    settings = StoreSettings.from_env(db)
    local_path = db or Path(os.environ.get("CHAINMAP_DB") or DEFAULT_DB)
    with ExitStack() as opened:
        if direction == "neo4j":
            source: GraphStore = LadybugStore.open(local_path, create=False)
            opened.callback(source.close)
            target = _neo4j(settings)
        else:
            source = _neo4j(settings)
            opened.callback(source.close)
            target = LadybugStore.open(local_path)
        opened.callback(target.close)
        if replace:
            target.clear()
        changes = copy_graph(source, target)
    created = sum(changes.created.values())
    updated = sum(changes.updated.values())
    edges = sum(changes.edges_created.values())
    click.echo(
        f"已复制 {source.location} → {target.location}：新增节点 {created}、更新 {updated}、新增关系 {edges}"
    )
