"""`chainmap copy`: move a graph between the embedded database and Neo4j."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click

from chainmap.store.base import StoreSettings, open_store
from chainmap.store.copy import copy_graph


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
    with ExitStack() as opened:
        if direction == "neo4j":
            source = open_store(settings, create=False, backend="ladybug")
            opened.callback(source.close)
            target = open_store(settings, backend="neo4j")
        else:
            source = open_store(settings, backend="neo4j")
            opened.callback(source.close)
            target = open_store(settings, backend="ladybug")
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
